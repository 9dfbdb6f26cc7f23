import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/kysely.ts';
import { AuthCache } from '../../../src/modules/auth/auth-cache.ts';

/**
 * The PostgreSQL epoch reads of src/modules/auth/auth-cache.ts, against a stand-in database whose
 * reads answer when the test says: which read a request may share decides whether a revocation
 * committed before it arrived is seen. (auth-cache.test.ts checks the same end to end on both engines.)
 */
function standIn() {
  const reads: { answer(epoch: number): void }[] = [];
  const db = {
    pglite: undefined,
    kysely: {
      executeQuery: () =>
        new Promise((resolve) => reads.push({ answer: (epoch) => resolve({ rows: [{ value: epoch }] }) })),
    },
  } as unknown as Database;
  return { db, reads };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('epoch reads on PostgreSQL', () => {
  it('a request never shares a read sent before it arrived, even while reads overlap', async () => {
    const { db, reads } = standIn();
    const cache = new AuthCache(db);
    let loads = 0;
    const get = () =>
      cache.get(
        'session',
        'secret',
        async () => ++loads,
        (value) => value,
      );

    const first = get();
    await turn();
    reads[0]!.answer(1);
    expect(await first).toBe(1); // looked up and cached under epoch 1
    expect(loads).toBe(1);

    const early = get(); // its read is sent, and answers from before the revocation
    await turn();
    expect(reads).toHaveLength(2);
    // A revocation commits now; the next request arrives while the early read is under way.
    const late = get();
    await turn();
    expect(reads).toHaveLength(3); // its own read, overlapping the early one
    reads[1]!.answer(1);
    expect(await early).toBe(1); // served from the cache: nothing was revoked before it arrived
    reads[2]!.answer(2);
    expect(await late).toBe(2); // not the cached lookup: looked up again
    expect(loads).toBe(2);
    await cache.close();
  });

  it('requests in the same turn share one read, and at most two reads are under way', async () => {
    const { db, reads } = standIn();
    const cache = new AuthCache(db);
    const get = () =>
      cache.get(
        'token',
        'secret',
        async () => 'row',
        (value) => value,
      );
    const batch1 = [get(), get(), get()];
    await turn();
    expect(reads).toHaveLength(1);
    const batch2 = [get(), get()];
    await turn();
    expect(reads).toHaveLength(2);
    const batch3 = [get()];
    await turn();
    expect(reads).toHaveLength(2); // two under way: the third waits for one to answer
    reads[0]!.answer(1);
    await Promise.all(batch1);
    await turn();
    expect(reads).toHaveLength(3); // sent once a slot was free, after batch3 asked
    reads[1]!.answer(1);
    reads[2]!.answer(1);
    expect(await Promise.all([...batch2, ...batch3])).toEqual(['row', 'row', 'row']);
    await cache.close();
  });
});
