import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { claimFreeSlot, freeExpiredSlots, insertIntoFreeSlot } from '../../db/slots.ts';

/**
 * Scan leases: the one place that decides whether a scan may start. A lease row takes one of
 * SCAN_CONCURRENCY numbered slots (primary key) and the target host (unique), so across every
 * worker at most SCAN_CONCURRENCY scans run and never two of the same host. A lease expires,
 * so a worker killed mid-scan frees its slot; the retried job then claims a new one.
 */
export async function claimLease(
  db: Database,
  lease: { scanId: string; host: string; cap: number; ttlSeconds: number },
): Promise<boolean> {
  // Expired leases go, and a retry of the same scan takes over its own lease (the earlier attempt
  // is gone): one statement, as claimBrowserSlot does.
  await freeExpiredSlots(db.kysely, 'scan_leases', lease.scanId);
  return claimFreeSlot(
    () => insertIntoFreeSlot(db.kysely, 'scan_leases', lease),
    () =>
      sql<{ busy: boolean }>`
      select exists (select 1 from scan_leases where host = ${lease.host})
        or (select count(*) from scan_leases) >= ${lease.cap} as busy`.execute(db.kysely),
    lease.cap,
  );
}

export async function releaseLease(db: Database, scanId: string): Promise<void> {
  await db.kysely.deleteFrom('scan_leases').where('scan_id', '=', scanId).execute();
}

/** A finished scan lets go of its browser slot (if it held one) and its lease, in one statement. */
export async function releaseScan(db: Database, scanId: string): Promise<void> {
  await db.kysely
    .with('browser', (w) => w.deleteFrom('browser_leases').where('scan_id', '=', scanId))
    .deleteFrom('scan_leases')
    .where('scan_id', '=', scanId)
    .execute();
}

/**
 * A browser slot: one of BROWSER_SCAN_CONCURRENCY, taken by a browser scan on top of its scan lease,
 * so however many workers run, at most that many Chromiums scan at once. Same expiry rule as above.
 */
export async function claimBrowserSlot(
  db: Database,
  lease: { scanId: string; cap: number; ttlSeconds: number },
): Promise<boolean> {
  await freeExpiredSlots(db.kysely, 'browser_leases', lease.scanId);
  return claimFreeSlot(
    () => insertIntoFreeSlot(db.kysely, 'browser_leases', lease),
    () =>
      sql<{ busy: boolean }>`
      select (select count(*) from browser_leases) >= ${lease.cap} as busy`.execute(db.kysely),
    lease.cap,
  );
}

export async function releaseBrowserSlot(db: Database, scanId: string): Promise<void> {
  await db.kysely.deleteFrom('browser_leases').where('scan_id', '=', scanId).execute();
}
