import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { databaseStore, RateLimitCounter } from '../rate-limit-store.ts';

export interface RateLimitOptions {
  db: Database;
  /** RATE_LIMIT_MAX requests per client IP ... */
  max: number;
  /** ... per RATE_LIMIT_WINDOW_S seconds. */
  windowS: number;
}

/**
 * Global limit per client IP (request.ip, so only trusted proxy hops count), shared by every
 * process through the database without a write per request (RateLimitCounter). A route declares a stricter one with `config: { rateLimit: { max, timeWindow } }`
 * and opts out with `config: { rateLimit: false }`.
 */
async function rateLimitPlugin(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const counter = new RateLimitCounter(options.db, (err) =>
    app.log.error({ err }, 'rate limit counts not synchronised; retried on the next sync'),
  );
  app.addHook('onClose', () => counter.close());
  const store = databaseStore(counter, (err) =>
    app.log.error({ err }, 'rate limit store failed; request let through'),
  );
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowS * 1000,
    store,
    // Fail open: when the database is down the app cannot serve much anyway, and /readyz must
    // still be able to say which component failed instead of answering 500.
    skipOnError: true,
    onExceeded: (request) => request.log.warn({ ip: request.ip }, 'rate limit exceeded'),
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', undefined, {
        limit: context.max,
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
}

export default fp(rateLimitPlugin, { name: 'vioscan-rate-limit', fastify: '5.x' });
