/**
 * A finished scan lets go of its lease and its browser slot in one statement (releaseScan), and of
 * nothing else; claimLease clears expired leases and the scan's own earlier lease in one statement.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBrowserSlot, claimLease, releaseScan } from '../../../src/modules/scans/leases.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';

describe.each(engines)('scan leases on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  }, 120_000);
  afterAll(async () => db?.close());

  const held = async () => ({
    leases: (await db.kysely.selectFrom('scan_leases').select('scan_id').orderBy('slot').execute()).map(
      (r) => r.scan_id,
    ),
    browser: (await db.kysely.selectFrom('browser_leases').select('scan_id').orderBy('slot').execute()).map(
      (r) => r.scan_id,
    ),
  });

  it('releaseScan frees the scan’s lease and browser slot, and leaves the other scan’s', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    for (const [id, host] of [
      [a, 'a.example.test'],
      [b, 'b.example.test'],
    ] as const) {
      expect(await claimLease(db, { scanId: id, host, cap: 4, ttlSeconds: 60 })).toBe(true);
      expect(await claimBrowserSlot(db, { scanId: id, cap: 2, ttlSeconds: 60 })).toBe(true);
    }
    expect(await held()).toEqual({ leases: [a, b], browser: [a, b] });
    await releaseScan(db, a);
    expect(await held()).toEqual({ leases: [b], browser: [b] });
    // A scan without a browser slot: only its lease goes.
    const c = randomUUID();
    expect(await claimLease(db, { scanId: c, host: 'c.example.test', cap: 4, ttlSeconds: 60 })).toBe(true);
    await releaseScan(db, c);
    expect(await held()).toEqual({ leases: [b], browser: [b] });
    await releaseScan(db, b);
    expect(await held()).toEqual({ leases: [], browser: [] });
  });

  it('claimLease takes over an expired lease and the scan’s own earlier one, not another live one', async () => {
    const [old, retried, live] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await claimLease(db, { scanId: old, host: 'x.example.test', cap: 2, ttlSeconds: 60 })).toBe(true);
    expect(await claimLease(db, { scanId: live, host: 'y.example.test', cap: 2, ttlSeconds: 60 })).toBe(true);
    // Both slots taken: a third scan waits.
    expect(await claimLease(db, { scanId: retried, host: 'z.example.test', cap: 2, ttlSeconds: 60 })).toBe(
      false,
    );
    // The first scan is retried: it takes over its own lease, on the same host.
    expect(await claimLease(db, { scanId: old, host: 'x.example.test', cap: 2, ttlSeconds: 60 })).toBe(true);
    expect((await held()).leases.sort()).toEqual([old, live].sort());
    await db.kysely
      .updateTable('scan_leases')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('scan_id', '=', old)
      .execute();
    expect(await claimLease(db, { scanId: retried, host: 'z.example.test', cap: 2, ttlSeconds: 60 })).toBe(
      true,
    );
    expect((await held()).leases.sort()).toEqual([live, retried].sort());
  });

  it('concurrent claims for free hosts under the cap all succeed (a race for one slot number is no wait)', async () => {
    await db.kysely.deleteFrom('scan_leases').execute();
    const cap = 8;
    const ids = Array.from({ length: cap }, () => randomUUID());
    const claimed = await Promise.all(
      ids.map((scanId, i) => claimLease(db, { scanId, host: `race${i}.example.test`, cap, ttlSeconds: 60 })),
    );
    expect(claimed).toEqual(ids.map(() => true));
    expect((await held()).leases.sort()).toEqual([...ids].sort());
    // A slot free again, but the host is being scanned: that scan waits.
    await releaseScan(db, ids[cap - 1]!);
    expect(
      await claimLease(db, { scanId: randomUUID(), host: 'race0.example.test', cap, ttlSeconds: 60 }),
    ).toBe(false);
    await Promise.all(ids.map((id) => releaseScan(db, id)));
  });
});
