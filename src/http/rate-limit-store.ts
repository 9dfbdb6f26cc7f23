import { sql } from 'kysely';
import type { Database } from '../db/kysely.ts';

export interface Hit {
  /** Requests counted in the current window, this one included. */
  current: number;
  /** Milliseconds until the window resets. */
  ttl: number;
}

const expired = sql<boolean>`rate_limits.reset_at <= now()`;
const ttlMs = sql<number>`ceil(extract(epoch from (reset_at - now())) * 1000)::float8`;

/**
 * Counts `by` requests against `key` in one atomic statement. The window is fixed and starts
 * at the first hit; the database clock decides expiry, so processes with skewed clocks agree.
 */
export async function hit(db: Database, key: string, windowMs: number, by = 1): Promise<Hit> {
  const row = await db.kysely
    .insertInto('rate_limits')
    .values({ key, hits: by, reset_at: sql`now() + ${windowMs}::integer * interval '1 millisecond'` })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        hits: sql`case when ${expired} then excluded.hits else rate_limits.hits + excluded.hits end`,
        reset_at: sql`case when ${expired} then excluded.reset_at else rate_limits.reset_at end`,
      }),
    )
    .returning(['hits', ttlMs.as('ttl_ms')])
    .executeTakeFirstOrThrow();
  return { current: row.hits, ttl: Math.max(0, Number(row.ttl_ms)) };
}

/**
 * Adds several keys' counts in one statement; answers each key's total and time left. Only rows
 * that still exist are updated: a counter deleted meanwhile (its window ended, or an account
 * deletion removed the IP addresses: src/modules/privacy/deletion.ts) is not written back.
 */
async function addMany(
  db: Database,
  counts: { key: string; by: number; windowMs: number }[],
): Promise<Map<string, Hit>> {
  const rows = await sql<{ key: string; hits: number; ttl_ms: number }>`
    update rate_limits set
      hits = case when ${expired} then t.n else rate_limits.hits + t.n end,
      reset_at = case when ${expired} then now() + t.w * interval '1 millisecond' else rate_limits.reset_at end
    from unnest(${counts.map((c) => c.key)}::text[], ${counts.map((c) => c.by)}::integer[],
                ${counts.map((c) => c.windowMs)}::integer[]) as t(k, n, w)
    where rate_limits.key = t.k
    returning rate_limits.key, rate_limits.hits, ${ttlMs} as ttl_ms`.execute(db.kysely);
  return new Map(rows.rows.map((r) => [r.key, { current: r.hits, ttl: Math.max(0, Number(r.ttl_ms)) }]));
}

interface Bucket {
  windowMs: number;
  /** The shared count at the last database round trip (every process's requests). */
  base: number;
  /** This process's requests since then, not yet in the database. */
  pending: number;
  resetAt: number;
}

/** From this share of the limit on, every request is counted in the database at once. */
const EXACT_FROM = 0.5;
export const RATE_LIMIT_SYNC_MS = 1000;
const MAX_BUCKETS = 50_000;

/**
 * Rate-limit counters shared by every process through the `rate_limits` table, without a write
 * per request. A key's first request in a window, and every request once the shared count
 * reaches half the limit, is counted in the database directly (exact where it matters); below
 * that, requests are counted here and added to the table in one statement per
 * RATE_LIMIT_SYNC_MS for all keys, which also brings back the other processes' counts.
 *
 * The trade-off (docs/http.md): between two syncs each process admits at most half the limit
 * on its own, so N processes can together let through up to (N − 1) × max/2 more than the
 * limit within one sync interval, and only for a client that stayed below half the limit at its
 * last sync. A client over the limit is refused locally until its window ends, so hammering
 * costs no database writes. One process (the embedded engine) is exact at and above half.
 */
export class RateLimitCounter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly timer: NodeJS.Timeout;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly onError: (error: Error) => void,
    syncMs = RATE_LIMIT_SYNC_MS,
  ) {
    this.timer = setInterval(() => void this.sync(), syncMs);
    this.timer.unref();
  }

  /**
   * Counts the request here when that is allowed (below half the limit, or already over it);
   * undefined when it must be counted in the database (hit).
   */
  hitLocally(key: string, max: number): Hit | undefined {
    const now = Date.now();
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    if (bucket.resetAt <= now) {
      this.buckets.delete(key); // its pending counts belong to a window that is over
      return undefined;
    }
    if (bucket.base + bucket.pending + 1 < max * EXACT_FROM || bucket.base > max) {
      bucket.pending += 1;
      return { current: bucket.base + bucket.pending, ttl: bucket.resetAt - now };
    }
    return undefined;
  }

  async hit(key: string, windowMs: number, max: number): Promise<Hit> {
    const local = this.hitLocally(key, max);
    if (local) return local;
    const bucket = this.buckets.get(key);
    const by = 1 + (bucket?.pending ?? 0);
    if (bucket) bucket.pending = 0;
    const result = await hit(this.db, key, windowMs, by).catch((error: Error) => {
      if (bucket) bucket.pending += by;
      throw error;
    });
    const current = bucket ?? this.buckets.get(key);
    if (current) {
      current.base = result.current;
      current.resetAt = Date.now() + result.ttl;
    } else if (this.buckets.size < MAX_BUCKETS) {
      this.buckets.set(key, { windowMs, base: result.current, pending: 0, resetAt: Date.now() + result.ttl });
    }
    return { current: result.current + (current?.pending ?? 0), ttl: result.ttl };
  }

  /** Adds the local counts to the table and takes back the shared totals of every live key. */
  sync(): Promise<void> {
    this.syncing ??= this.flush().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async flush(): Promise<void> {
    const now = Date.now();
    const due: { key: string; by: number; windowMs: number }[] = [];
    for (const [key, bucket] of this.buckets) {
      if (bucket.resetAt <= now) {
        this.buckets.delete(key);
        continue;
      }
      // Keys with nothing to add still come back with the other processes' counts.
      due.push({ key, by: bucket.pending, windowMs: bucket.windowMs });
      bucket.pending = 0;
    }
    if (!due.length) return;
    try {
      const totals = await addMany(this.db, due);
      const at = Date.now();
      for (const { key } of due) {
        const total = totals.get(key);
        // Its row is gone: forget the key; its next request starts a counter afresh.
        if (!total) this.buckets.delete(key);
        else {
          const bucket = this.buckets.get(key);
          if (!bucket) continue;
          bucket.base = total.current;
          bucket.resetAt = at + total.ttl;
        }
      }
    } catch (error) {
      for (const { key, by } of due) {
        const bucket = this.buckets.get(key);
        if (bucket) bucket.pending += by;
      }
      this.onError(error as Error);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sync();
  }
}
