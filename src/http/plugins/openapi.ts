import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  isOrgPermission,
  tokenScopes,
  type Access,
  type OrgPermission,
} from '../../modules/auth/permissions.ts';
import { SESSION_COOKIE } from '../../modules/auth/sessions.ts';
import { CSRF_HEADER } from './csrf.ts';

export interface OpenApiOptions {
  version: string;
  baseUrl: string;
}

/** How a client proves who it is (docs/http.md "Describing and calling the API"). */
export const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The browser session set by signing in (docs/authentication.md).',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description:
      'With the session cookie, every POST/PUT/PATCH/DELETE also sends the synchronizer token from GET /api/v1/session.',
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'vio_pat_…',
    description:
      "An organisation's API token: Authorization: Bearer vio_pat_…; the requirement lists the scope it needs.",
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'METRICS_TOKEN, for GET /metrics only.',
  },
} as const;

export type SecurityRequirement = Record<string, string[]>;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The OpenAPI security requirements of one operation, derived from the access the route declares
 * and enforced by plugins/session.ts and plugins/csrf.ts: public → none; signed-in and staff
 * permissions → the session cookie (plus the CSRF header on changes); `token` → an API token only;
 * an organisation permission → the session, or an API token when tokens can carry that scope.
 */
export function securityFor(access: Access, method: string): SecurityRequirement[] {
  if (access === 'public') return [];
  const session = (roles: string[] = []): SecurityRequirement =>
    SAFE.has(method.toUpperCase()) ? { session: roles } : { session: roles, csrf: [] };
  if (access === 'signed-in') return [session()];
  if (access === 'token') return [{ apiToken: [] }];
  const { permission } = access;
  if (!isOrgPermission(permission)) return [session([permission])];
  const tokenCanCarry = (tokenScopes as readonly OrgPermission[]).includes(permission);
  return tokenCanCarry ? [session([permission]), { apiToken: [permission] }] : [session([permission])];
}

/**
 * `produces` (a CSV export, an HTML page, a report download) would list the error envelope under
 * those media types too; errors are always JSON (plugins/errors.ts), so their entries say so.
 */
function jsonErrors(response: unknown, produces: readonly string[] | undefined): unknown {
  if (!produces || typeof response !== 'object' || response === null) return response;
  return Object.fromEntries(
    Object.entries(response as Record<string, unknown>).map(([status, schema]) =>
      /^[45]/.test(status)
        ? [
            status,
            {
              description: (schema as { description?: string }).description,
              content: { 'application/json': { schema } },
            },
          ]
        : [status, schema],
    ),
  );
}

/**
 * Collects every route's schema into one OpenAPI 3 document (served at /api/openapi.json by
 * the system module), so the API reference cannot drift from what the validators enforce.
 */
async function openApiPlugin(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'VIOscan API',
        version: options.version,
        description:
          'Errors use one envelope: {"error":{"code","message","details?"}} (see docs/errors.md). ' +
          'Authenticate with the session cookie (and X-CSRF-Token on changes) or an API token ' +
          '(Authorization: Bearer vio_pat_…); each operation lists what it accepts (docs/http.md).',
      },
      servers: [{ url: options.baseUrl }],
      components: { securitySchemes: { ...securitySchemes } },
    },
    transform: ({ schema, url, route }) => {
      if (!schema) return { schema, url };
      const documented = { ...schema, response: jsonErrors(schema.response, schema.produces) };
      // A route may state its own requirements (GET /metrics); otherwise its declared access decides.
      const access = route.config?.access;
      if (schema.security !== undefined || access === undefined) return { schema: documented, url };
      const unsafe = [route.method].flat().find((m) => !SAFE.has(String(m).toUpperCase()));
      return { schema: { ...documented, security: securityFor(access, String(unsafe ?? 'GET')) }, url };
    },
  });
}

export default fp(openApiPlugin, { name: 'vioscan-openapi', fastify: '5.x' });
