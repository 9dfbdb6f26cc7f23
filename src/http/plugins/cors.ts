import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface CorsOptions {
  /** CORS_ORIGINS: comma-separated origins; absent = no cross-origin access at all. */
  origins: string | undefined;
}

export function parseOrigins(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((origin) => origin.trim().replace(/\/$/, '').toLowerCase())
      .filter(Boolean),
  );
}

async function corsPlugin(app: FastifyInstance, options: CorsOptions): Promise<void> {
  const allowed = parseOrigins(options.origins);
  // No allow-list: no answer depends on Origin, and a preflight finds no route (the 404
  // envelope), so no hook needs to run on every request.
  if (!allowed.size) return;
  await app.register(cors, {
    // Answering `false` for an unlisted origin writes no CORS header at all, so credentials
    // (and the response body) are only ever shared with the allow-list (Fetch §3.2.5).
    origin: (origin, callback) =>
      callback(null, origin !== undefined && allowed.has(origin.toLowerCase()) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: [
      'x-request-id',
      'retry-after',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ],
    maxAge: 600,
    // The strict mode's 400 is plain text; a malformed preflight is simply answered as a preflight.
    strictPreflight: false,
  });
}

export default fp(corsPlugin, { name: 'vioscan-cors', fastify: '5.x' });
