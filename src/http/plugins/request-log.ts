import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';

/**
 * A caller's (or proxy's) id is kept only if it is short and plain, so it cannot forge log
 * lines or smuggle markup into places the id is shown.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

export function genReqId(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Echoes the request id on every response (errors included) so a user can quote it to support,
 * and writes one access-log line per request. The line holds plain values only: the logger's
 * scrubbing formatter (src/log.ts) then removes emails and tokens from the URL, and no request
 * object reaches the log where a header could leak. Fastify's own request logging is disabled.
 */
async function requestLogPlugin(app: FastifyInstance): Promise<void> {
  // Callback hooks, here and in the other plugins' per-request hooks: an async one costs a
  // promise and a turn of the microtask queue on every request, for hooks that rarely wait.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The line's values (request.ip walks the trusted proxies) are not worth computing unlogged.
    if (!(request.log as Logger).isLevelEnabled('info')) return done();
    request.log.info(
      {
        method: request.method,
        url: request.url,
        route: request.routeOptions.url ?? null,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
      },
      'request completed',
    );
    done();
  });
}

export default fp(requestLogPlugin, { name: 'vioscan-request-log', fastify: '5.x' });
