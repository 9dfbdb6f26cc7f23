import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Request parts whose objects are closed; headers stay open because browsers add their own. */
const CLOSED_PARTS = ['body', 'querystring', 'params'] as const;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as `METHOD /url` (HEAD and hidden routes left out): what OpenAPI must list. */
    registeredRoutes: string[];
  }
}

type SchemaNode = Record<string | symbol, unknown>;

/**
 * Returns a copy of `schema` where every object that lists `properties` and says nothing about
 * extra keys rejects them, so a module cannot forget `additionalProperties: false`
 * (mass assignment: an unexpected `role` or `orgId` field must fail, not pass through).
 */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const node: SchemaNode = { ...(schema as SchemaNode) };
  for (const key of ['items', 'not', 'if', 'then', 'else', 'anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    if (key in node) node[key] = closeObjects(node[key]);
  }
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions']) {
    const map = node[key];
    if (map && typeof map === 'object') {
      node[key] = Object.fromEntries(Object.entries(map).map(([name, child]) => [name, closeObjects(child)]));
    }
  }
  if (node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
  return node;
}

function methods(route: RouteOptions): string[] {
  return [route.method].flat().map((m) => String(m).toUpperCase());
}

/**
 * Input rules for every route: a schema is mandatory (it is also the route's OpenAPI entry),
 * a route taking a body declares it, unknown fields are rejected, and bodies are JSON only.
 */
async function validationPlugin(app: FastifyInstance): Promise<void> {
  // Fastify also parses text/plain by default; a JSON API has no use for it (→ 415).
  app.removeContentTypeParser('text/plain');

  const registered: string[] = [];
  app.decorate('registeredRoutes', registered);

  app.addHook('onRoute', (route) => {
    const name = `${methods(route).join(',')} ${route.url}`;
    if (!route.schema)
      throw new Error(`Route ${name} has no schema; every route declares one (docs/http.md)`);
    if (methods(route).some((m) => BODY_METHODS.has(m)) && !route.schema.body && !route.schema.hide) {
      throw new Error(`Route ${name} accepts a body but declares no body schema`);
    }
    const schema: Record<string, unknown> = { ...route.schema };
    for (const part of CLOSED_PARTS) {
      if (schema[part] !== undefined) schema[part] = closeObjects(schema[part]);
    }
    route.schema = schema;
    if (!schema.hide)
      registered.push(
        ...methods(route)
          .filter((m) => m !== 'HEAD')
          .map((m) => `${m} ${route.url}`),
      );
  });
}

export default fp(validationPlugin, { name: 'vioscan-validation', fastify: '5.x' });
