import { sql, type Kysely } from 'kysely';
import type { DB } from './types.ts';

/** The tables of numbered slots: a row holds slot `slot` (primary key) for `scan_id` until `expires_at`. */
export type SlotTable = 'scan_leases' | 'browser_leases' | 'public_browser_leases';

/**
 * Takes the lowest free slot of `cap` for a scan, or none (`on conflict do nothing`: a concurrent
 * claim took the same number). `host` fills scan_leases' unique host column.
 */
export async function insertIntoFreeSlot(
  executor: Kysely<DB>,
  table: SlotTable,
  claim: { scanId: string; host?: string; cap: number; ttlSeconds: number },
): Promise<boolean> {
  const holder =
    claim.host === undefined
      ? { columns: sql`scan_id`, values: sql`${claim.scanId}` }
      : { columns: sql`host, scan_id`, values: sql`${claim.host}, ${claim.scanId}` };
  const { rows } = await sql<{ slot: number }>`
    insert into ${sql.table(table)} (slot, ${holder.columns}, expires_at)
    select s, ${holder.values}, now() + make_interval(secs => ${claim.ttlSeconds})
    from generate_series(1, ${claim.cap}::int) as s
    where s not in (select slot from ${sql.table(table)})
    order by s
    limit 1
    on conflict do nothing
    returning slot`.execute(executor);
  return rows.length === 1;
}

/**
 * Concurrent claims pick the same lowest free slot number and all but one lose it to the primary
 * key (`on conflict do nothing`): a loser that `busy` says may still run (a slot left; for scan
 * leases, its host free) tries again at once, rather than answering "busy" and waiting out a poll
 * while a slot stays idle. Each lost race means another claim took a slot, so the retries are
 * bounded by `cap`.
 */
export async function claimFreeSlot(
  insert: () => Promise<boolean>,
  busy: () => Promise<{ rows: { busy: boolean }[] }>,
  cap: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < cap; attempt++) {
    if (await insert()) return true;
    if ((await busy()).rows[0]?.busy !== false) return false;
  }
  return false;
}

/** Frees expired slots, and the slot `scanId` holds (a retry of the same scan takes over its own). */
export async function freeExpiredSlots(
  executor: Kysely<DB>,
  table: SlotTable,
  scanId?: string,
): Promise<void> {
  await executor
    .deleteFrom(table)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<', sql<Date>`now()`),
        ...(scanId === undefined ? [] : [eb('scan_id', '=', scanId)]),
      ]),
    )
    .execute();
}
