import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

/** What a signed-in answer depends on besides the URL (RFC 9110 §12.5.5). */
const CREDENTIAL_HEADERS = ['Cookie', 'Authorization'];

/** Adds names to the Vary header, keeping what another plugin (CORS: Origin) put there. */
export function addVary(reply: FastifyReply, names: readonly string[]): void {
  const existing = reply.getHeader('vary');
  if (existing === undefined) {
    reply.header('vary', names.join(', '));
    return;
  }
  const current = String(existing)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (current.includes('*')) return;
  const lower = new Set(current.map((name) => name.toLowerCase()));
  reply.header('vary', [...current, ...names.filter((n) => !lower.has(n.toLowerCase()))].join(', '));
}

/**
 * Every answer of a route that is not public depends on who asks: no cache (browser, proxy, CDN)
 * may keep it (RFC 9111 §5.2.2.5), whatever its status, and a cache that ignores no-store must at
 * least key it by the credentials. Set at onSend so no handler or error path can loosen it.
 */
async function privateResponses(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', (request, reply, payload, done) => {
    const access = request.routeOptions.config.access;
    // A public route that opens or ends a session (sign-in links) is just as personal.
    const personal = (access !== undefined && access !== 'public') || reply.hasHeader('set-cookie');
    if (personal) {
      reply.header('cache-control', 'no-store');
      addVary(reply, CREDENTIAL_HEADERS);
    }
    done(null, payload);
  });
}

export default fp(privateResponses, { name: 'vioscan-private-responses', fastify: '5.x' });
