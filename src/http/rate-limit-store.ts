import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../db/kysely.ts';

export interface Hit {
  /** Requests counted in the current window, this one included. */
  current: number;
  /** Milliseconds until the window resets. */
  ttl: number;
}

/**
 * Counts one request against `key` in one atomic statement. The window is fixed and starts
 * at the first hit; the database clock decides expiry, so processes with skewed clocks agree.
 */
export async function hit(db: Database, key: string, windowMs: number): Promise<Hit> {
  const expired = sql<boolean>`rate_limits.reset_at <= now()`;
  const row = await db.kysely
    .insertInto('rate_limits')
    .values({ key, hits: 1, reset_at: sql`now() + ${windowMs}::integer * interval '1 millisecond'` })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        hits: sql`case when ${expired} then 1 else rate_limits.hits + 1 end`,
        reset_at: sql`case when ${expired} then excluded.reset_at else rate_limits.reset_at end`,
      }),
    )
    .returning([
      'hits',
      sql<number>`ceil(extract(epoch from (reset_at - now())) * 1000)::float8`.as('ttl_ms'),
    ])
    .executeTakeFirstOrThrow();
  return { current: row.hits, ttl: Math.max(0, Number(row.ttl_ms)) };
}

/**
 * An @fastify/rate-limit store whose counters live in the `rate_limits` table, so a limit holds
 * across every web process sharing the database. Routes with their own limit count under their
 * own prefix; expired rows are purged by the housekeeping job.
 */
export function databaseStore(db: Database, onError: (error: Error) => void): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = 'global',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: Hit) => void, timeWindow: number): void {
      hit(db, `${this.prefix}|${key}`, timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => {
          onError(error);
          callback(error);
        },
      );
    }

    // @fastify/rate-limit passes the route's merged limit options, the route itself under routeInfo.
    child(options: RouteOptions & { path: string; prefix: string }): FastifyRateLimitStore {
      const { routeInfo } = options as unknown as {
        routeInfo?: { method?: string | string[]; url?: string };
      };
      const { method = '', url = '' } = routeInfo ?? {};
      return new DatabaseStore(options, `${[method].flat().join(',')} ${url}`);
    }
  }
  return DatabaseStore;
}
