import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityFor, securitySchemes } from '../../src/http/plugins/openapi.ts';
import type { Access } from '../../src/modules/auth/permissions.ts';
import { createTestApp, type TestApp } from './app-helpers.ts';

/**
 * Issue 6, "All of it in the OpenAPI document": the served document is valid OpenAPI, describes
 * every /api route a client can call (summary, tag, success body, error envelope) and says how to
 * authenticate for each (docs/http.md "Describing and calling the API").
 */

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes?: Record<string, unknown> };
}

/** /api routes deliberately left out of the document, each with its reason. None today. */
const HIDDEN: Record<string, string> = {};

/** Success statuses whose answer has no body. */
const BODILESS = new Set(['204', '302', '303']);

let t: TestApp;
let doc: Document;
let operations: { key: string; path: string; method: string; op: Operation }[];

beforeAll(async () => {
  t = await createTestApp('pglite');
  const res = await t.app.inject({ url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json() as Document;
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method: method.toUpperCase(),
      op,
    })),
  );
});
afterAll(() => t.close());

/** fastify writes `/orgs/:orgId`, OpenAPI `/orgs/{orgId}`. */
const toOpenApi = (route: string) => route.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('validates against the official OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('the validator does reject a broken document (so the check above can fail)', async () => {
    const broken = structuredClone(doc) as unknown as Record<string, unknown>;
    delete broken.info;
    (broken.paths as Record<string, unknown>)['/api/v1/broken'] = { get: { responses: 'none' } };
    const result = await new Validator().validate(broken);
    expect(result.valid).toBe(false);
  });

  it('lists every /api route fastify registered, none hidden by accident', () => {
    const documented = new Set(operations.map((o) => o.key));
    const routes = [...t.app.routeAccess.keys()].filter(
      (r) => r.includes(' /api/') && !r.startsWith('HEAD '),
    );
    expect(routes.length).toBeGreaterThan(80);
    const missing = routes.filter((r) => !documented.has(toOpenApi(r)) && !(r in HIDDEN));
    expect(missing).toEqual([]);
    // A route listed as hidden must really exist and really be hidden.
    for (const hidden of Object.keys(HIDDEN)) {
      expect(routes).toContain(hidden);
      expect(documented.has(toOpenApi(hidden))).toBe(false);
    }
  });

  it('gives every /api/v1 operation a summary, a tag, a success answer and the error envelope', () => {
    const api = operations.filter((o) => o.path.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThan(80);
    const problems: string[] = [];
    for (const { key, op } of api) {
      if (!op.summary?.trim()) problems.push(`${key}: no summary`);
      if (!op.tags?.length) problems.push(`${key}: no tag`);
      const success = Object.keys(op.responses).filter((s) => /^(2\d\d|30[23])$/.test(s));
      if (success.length === 0) problems.push(`${key}: no 2xx/302/303 response`);
      for (const status of success) {
        const content = op.responses[status]?.content;
        if (BODILESS.has(status)) {
          if (content) problems.push(`${key}: ${status} declares a body`);
        } else if (!content || !Object.values(content).every((media) => media.schema))
          problems.push(`${key}: ${status} has no schema`);
      }
      for (const status of ['4XX', '5XX']) {
        // Errors are JSON whatever the success answer is (a CSV export, a report download).
        const content = op.responses[status]?.content ?? {};
        const error = content['application/json']?.schema as { properties?: { error?: unknown } } | undefined;
        if (!error?.properties?.error) problems.push(`${key}: no JSON ${status} error envelope`);
        if (Object.keys(content).length !== 1) problems.push(`${key}: ${status} is not JSON only`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares the session cookie, the CSRF header and API tokens as security schemes', () => {
    expect(doc.components.securitySchemes).toEqual(securitySchemes);
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: '__Host-vio_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
      apiToken: { type: 'http', scheme: 'bearer' },
    });
  });

  it("gives every /api operation the security requirements of the route's declared access", () => {
    const wrong: string[] = [];
    for (const [route, access] of t.app.routeAccess) {
      if (!route.includes(' /api/') || route.startsWith('HEAD ') || route in HIDDEN) continue;
      const [method, url] = route.split(' ') as [string, string];
      const op = doc.paths[toOpenApi(url)]?.[method.toLowerCase()];
      const expected = securityFor(access, method);
      if (JSON.stringify(op?.security) !== JSON.stringify(expected))
        wrong.push(`${route}: ${JSON.stringify(op?.security)} ≠ ${JSON.stringify(expected)}`);
      if (access !== 'public' && !op?.security?.length) wrong.push(`${route}: non-public, no security`);
      // Every requirement names a declared scheme.
      for (const requirement of op?.security ?? [])
        for (const scheme of Object.keys(requirement))
          if (!(scheme in securitySchemes)) wrong.push(`${route}: unknown scheme ${scheme}`);
    }
    expect(wrong).toEqual([]);
  });

  it('documents a CSV export as CSV and its errors as JSON', () => {
    const op = doc.paths['/api/v1/orgs/{orgId}/findings/export.csv']?.get;
    expect(Object.keys(op?.responses['200']?.content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(op?.responses['4XX']?.content ?? {})).toEqual(['application/json']);
  });

  it('spells out the requirements clients rely on', () => {
    const security = (method: string, path: string) => doc.paths[path]?.[method]?.security;
    expect(security('get', '/api/openapi.json')).toEqual([]);
    expect(security('get', '/api/v1/auth/session')).toEqual([{ session: [] }]);
    expect(security('get', '/api/v1/token')).toEqual([{ apiToken: [] }]);
    expect(security('post', '/api/v1/orgs/{orgId}/scans')).toEqual([
      { session: ['scans:write'], csrf: [] },
      { apiToken: ['scans:write'] },
    ]);
    expect(security('get', '/api/v1/orgs/{orgId}/sites')).toEqual([
      { session: ['sites:read'] },
      { apiToken: ['sites:read'] },
    ]);
    // Tokens never carry people or token permissions, and staff work needs a session.
    expect(security('get', '/api/v1/orgs/{orgId}/members')).toEqual([{ session: ['members:read'] }]);
    expect(security('post', '/api/v1/orgs/{orgId}/tokens')).toEqual([
      { session: ['tokens:write'], csrf: [] },
    ]);
    expect(security('get', '/api/v1/admin/support/messages')).toEqual([{ session: ['staff:support'] }]);
    expect(security('get', '/metrics')).toEqual([{ metricsToken: [] }]);
  });
});

describe('securityFor', () => {
  it.each<[Access, string, unknown]>([
    ['public', 'POST', []],
    ['signed-in', 'GET', [{ session: [] }]],
    ['signed-in', 'DELETE', [{ session: [], csrf: [] }]],
    ['token', 'POST', [{ apiToken: [] }]],
    [
      { permission: 'findings:write' },
      'PATCH',
      [{ session: ['findings:write'], csrf: [] }, { apiToken: ['findings:write'] }],
    ],
    [{ permission: 'billing:read' }, 'GET', [{ session: ['billing:read'] }]],
    [{ permission: 'staff:read' }, 'HEAD', [{ session: ['staff:read'] }]],
  ])('%j %s → %j', (access, method, expected) => {
    expect(securityFor(access, method)).toEqual(expected);
  });
});
