import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { hit } from '../../http/rate-limit-store.ts';

/**
 * Anti-automation for sign-in (ASVS 6.1.1, 6.3.1; NIST 800-63B §5.2.2). Request counts use the
 * shared rate_limits table; failures feed auth_blocks, whose block doubles each time it trips
 * (backoff), up to a day. Blocks are per IP, and per account only at NIST's 100-failure ceiling,
 * so an attacker cannot lock a victim out cheaply.
 */
export const limits = {
  requestsPerEmail: { max: 5, windowMs: 15 * 60_000 },
  requestsPerIp: { max: 20, windowMs: 15 * 60_000 },
  failuresPerIp: { threshold: 10, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
  failuresPerAccount: { threshold: 100, windowMs: 24 * 3600_000, blockMs: 3600_000 },
  maxBlockMs: 24 * 3600_000,
} as const;

/** What a refusal tells the client: how long until trying again can succeed (the error's details). */
export interface RetryAfter {
  retryAfterSeconds: number;
}

/** When this request is over the limit: how long until its window ends; null when it is within. */
export async function overLimit(
  db: Database,
  key: string,
  rule: { max: number; windowMs: number },
): Promise<RetryAfter | null> {
  const { current, ttl } = await hit(db, `auth|${key}`, rule.windowMs);
  return current > rule.max ? { retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) } : null;
}

/** The wait until a block ends, as a refusal's details. */
export function retryAfter(until: Date): RetryAfter {
  return { retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)) };
}

export async function blockedUntil(db: Database, key: string): Promise<Date | null> {
  const row = await db.kysely
    .selectFrom('auth_blocks')
    .select('blocked_until')
    .where('key', '=', key)
    .where('blocked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.blocked_until ?? null;
}

export async function recordFailure(
  db: Database,
  key: string,
  rule: { threshold: number; windowMs: number; blockMs: number },
): Promise<Date | null> {
  const expired = sql<boolean>`auth_blocks.window_reset_at <= now()`;
  const row = await db.kysely
    .insertInto('auth_blocks')
    .values({
      key,
      failures: 1,
      window_reset_at: sql`now() + ${rule.windowMs}::integer * interval '1 millisecond'`,
    })
    .onConflict((c) =>
      c.column('key').doUpdateSet({
        failures: sql`case when ${expired} then 1 else auth_blocks.failures + 1 end`,
        window_reset_at: sql`case when ${expired} then excluded.window_reset_at else auth_blocks.window_reset_at end`,
      }),
    )
    .returning(['failures', 'level'])
    .executeTakeFirstOrThrow();
  if (row.failures < rule.threshold) return null;
  const blockMs = Math.min(rule.blockMs * 2 ** row.level, limits.maxBlockMs);
  const updated = await db.kysely
    .updateTable('auth_blocks')
    .set({
      failures: 0,
      level: row.level + 1,
      blocked_until: sql`now() + ${blockMs}::bigint * interval '1 millisecond'`,
    })
    .where('key', '=', key)
    .returning('blocked_until')
    .executeTakeFirstOrThrow();
  return updated.blocked_until;
}

export async function clearFailures(db: Database, key: string): Promise<void> {
  await db.kysely.updateTable('auth_blocks').set({ failures: 0 }).where('key', '=', key).execute();
}
