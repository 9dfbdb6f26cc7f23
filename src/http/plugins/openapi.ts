import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface OpenApiOptions {
  version: string;
  baseUrl: string;
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
        description: 'Errors use one envelope: {"error":{"code","message","details?"}} (see docs/errors.md).',
      },
      servers: [{ url: options.baseUrl }],
    },
  });
}

export default fp(openApiPlugin, { name: 'vioscan-openapi', fastify: '5.x' });
