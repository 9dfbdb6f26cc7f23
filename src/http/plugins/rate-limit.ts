import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { clientKey } from '../client-key.ts';
import { RateLimitCounter, type Hit } from '../rate-limit-store.ts';

/** A route's own limit: `max` requests per `timeWindow` milliseconds, on a counter of its own. */
export interface RouteRateLimit {
  max: number;
  timeWindow: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A stricter limit with its own counter per client, or false: never counted (/healthz). */
    rateLimit?: RouteRateLimit | false;
  }
  interface FastifyInstance {
    /** The global limit as an onRequest hook, for the 404 handler (it has no route to hook). */
    rateLimitHook: onRequestHookHandler;
  }
}

export interface RateLimitOptions {
  db: Database;
  /** RATE_LIMIT_MAX requests per client IP ... */
  max: number;
  /** ... per RATE_LIMIT_WINDOW_S seconds. */
  windowS: number;
}

interface Limit {
  max: number;
  windowMs: number;
  /** Names the counter: `global`, or the route ("POST /api/v1/auth/email") for its own limit. */
  prefix: string;
}

/** Answers the limit's headers; over the limit, the 429 error as well. */
function answer(request: FastifyRequest, reply: FastifyReply, limit: Limit, hit: Hit): AppError | undefined {
  const resetS = Math.ceil(hit.ttl / 1000);
  reply.header('x-ratelimit-limit', limit.max);
  if (hit.current <= limit.max) {
    reply.header('x-ratelimit-remaining', limit.max - hit.current);
    reply.header('x-ratelimit-reset', resetS);
    return undefined;
  }
  request.log.warn({ ip: request.ip }, 'rate limit exceeded');
  reply.header('x-ratelimit-remaining', 0);
  reply.header('x-ratelimit-reset', resetS);
  reply.header('retry-after', resetS);
  return new AppError('rate_limited', undefined, { limit: limit.max, retryAfterSeconds: resetS });
}

/**
 * Global limit per client IP (request.ip, so only trusted proxy hops count; IPv6 by /64), shared
 * by every process through the database without a write per request (RateLimitCounter). A route
 * declares a stricter one with `config: { rateLimit: { max, timeWindow } }` and opts out with
 * `config: { rateLimit: false }`. Each route gets its limit as a route-level onRequest hook, so
 * finding the limit costs nothing per request, and a count held in memory is answered without a
 * promise.
 */
async function rateLimitPlugin(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const counter = new RateLimitCounter(options.db, (err) =>
    app.log.error({ err }, 'rate limit counts not synchronised; retried on the next sync'),
  );
  app.addHook('onClose', () => counter.close());

  function limiter(limit: Limit): onRequestHookHandler {
    return (request, reply, done) => {
      const key = `${limit.prefix}|${clientKey(request.ip)}`;
      const local = counter.hitLocally(key, limit.max);
      if (local) return done(answer(request, reply, limit, local));
      counter.hit(key, limit.windowMs, limit.max).then(
        (hit) => done(answer(request, reply, limit, hit)),
        (err: Error) => {
          // Fail open: when the database is down the app cannot serve much anyway, and /readyz
          // must still be able to say which component failed instead of answering 500.
          request.log.error({ err }, 'rate limit store failed; request let through');
          done();
        },
      );
    };
  }

  const global = limiter({ max: options.max, windowMs: options.windowS * 1000, prefix: 'global' });
  app.decorate('rateLimitHook', global);
  app.addHook('onRoute', (route) => {
    const own = route.config?.rateLimit;
    if (own === false) return;
    const hook = own
      ? limiter({
          max: own.max,
          windowMs: own.timeWindow,
          prefix: `${[route.method].flat().join(',')} ${route.url}`,
        })
      : global;
    route.onRequest = [route.onRequest ?? []].flat().concat(hook);
  });
}

export default fp(rateLimitPlugin, { name: 'vioscan-rate-limit', fastify: '5.x' });
