import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/kysely.ts';
import { RateLimitCounter } from '../../src/http/rate-limit-store.ts';
import { createTestDatabase, engines, TEST_DATABASE_URL, type TestDatabase } from '../helpers/engines.ts';

const WINDOW = 60_000;
const noErrors = (error: Error) => {
  throw error;
};
const rowHits = async (db: Database, key: string) =>
  (await db.kysely.selectFrom('rate_limits').select('hits').where('key', '=', key).executeTakeFirst())?.hits;

describe.each(engines)('rate-limit counter on %s', (engine) => {
  let db: TestDatabase;
  let other: Database;
  let a: RateLimitCounter;
  let b: RateLimitCounter;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    // PostgreSQL: a second pool stands for a second process; PGlite has one owner, so one handle.
    other =
      engine === 'postgres'
        ? await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema: db.schema, poolSize: 2 })
        : db;
    a = new RateLimitCounter(db, noErrors, 3_600_000);
    b = new RateLimitCounter(other, noErrors, 3_600_000);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    if (other !== db) await other.close();
    await db.close();
  });

  it('writes a key once per window while it is far below the limit, and the rest at the next sync', async () => {
    const key = 'test|far';
    for (let i = 1; i <= 10; i++) expect((await a.hit(key, WINDOW, 100)).current).toBe(i);
    expect(await rowHits(db, key)).toBe(1);
    await a.sync();
    expect(await rowHits(db, key)).toBe(10);
  });

  it('brings back the other processes’ counts at each sync', async () => {
    const key = 'test|shared';
    for (let i = 0; i < 5; i++) await a.hit(key, WINDOW, 100);
    for (let i = 0; i < 7; i++) await b.hit(key, WINDOW, 100);
    await a.sync();
    await b.sync();
    await a.sync();
    expect(await rowHits(db, key)).toBe(12);
    expect((await a.hit(key, WINDOW, 100)).current).toBe(13);
    expect((await b.hit(key, WINDOW, 100)).current).toBe(13); // b synced before a's 13th: it knows 12
  });

  it('is exact from half the limit on, across processes, and refuses an exceeded key without writing', async () => {
    const key = 'test|near';
    const seen = [];
    for (const counter of [a, b, a, b, a, b]) seen.push((await counter.hit(key, WINDOW, 4)).current);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await rowHits(db, key)).toBe(6);
    // Over the limit: answered from memory until the window ends; the count still reaches the table.
    // (a knows the shared count as of its own last write, 5: refused all the same.)
    expect((await a.hit(key, WINDOW, 4)).current).toBe(6);
    expect(await rowHits(db, key)).toBe(6);
    await a.sync();
    expect(await rowHits(db, key)).toBe(7);
  });

  it('never writes back a counter deleted meanwhile (an account deletion removes IP addresses)', async () => {
    const key = 'global|198.51.100.99';
    for (let i = 0; i < 3; i++) await a.hit(key, WINDOW, 100);
    await db.kysely.deleteFrom('rate_limits').where('key', '=', key).execute();
    await a.sync();
    expect(await rowHits(db, key)).toBeUndefined();
    // The next request from that address counts afresh.
    expect((await a.hit(key, WINDOW, 100)).current).toBe(1);
  });

  it('starts a new window once the old one has expired', async () => {
    const key = 'test|window';
    expect(await a.hit(key, 300, 100)).toMatchObject({ current: 1 });
    const second = await a.hit(key, 300, 100);
    expect(second.current).toBe(2);
    expect(second.ttl).toBeGreaterThan(0);
    expect(second.ttl).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 400));
    expect(await a.hit(key, 300, 100)).toMatchObject({ current: 1 });
    expect(await rowHits(db, key)).toBe(1);
  });
});
