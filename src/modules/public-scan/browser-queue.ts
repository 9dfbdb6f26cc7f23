import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { claimFreeSlot, freeExpiredSlots, insertIntoFreeSlot } from '../../db/slots.ts';
import type { Report } from '../../scanner/types.ts';

/**
 * The anonymous browser-scan queue, kept in `public_scans` (migration 0140) so every web process
 * can say where a scan stands. Order is first come, first served by (created_at, id); a running
 * stage holds one of `cap` numbered slots in `public_browser_leases`, which expire like scan leases,
 * so a worker killed mid-stage frees its slot and its scan is reported as not finished.
 */

export interface ClaimedBrowserScan {
  id: string;
  target: string;
  artefacts: unknown;
  report: Report;
}

const NOT_FINISHED = JSON.stringify({
  code: 'browser_timeout',
  message: 'The browser visits did not finish in time.',
});

/** How many queued scans are ahead of this one, plus one; undefined when it is not waiting. */
export async function queuePosition(db: Database, id: string): Promise<number | undefined> {
  const row = await sql<{ position: number | string | null }>`
    select (
      select count(*) from public_scans ahead
      where ahead.browser_status = 'queued' and ahead.expires_at > now()
        and (ahead.created_at, ahead.id) < (me.created_at, me.id)
    ) + 1 as position
    from public_scans me
    where me.id = ${id} and me.browser_status = 'queued'`.execute(db.kysely);
  const position = row.rows[0]?.position;
  return position === undefined || position === null ? undefined : Number(position);
}

/**
 * Takes the oldest queued, unexpired scan and a free slot in one transaction: `busy` when every
 * slot is held, `empty` when nothing waits. First it ends what a dead worker left behind: expired
 * slots are freed and a scan still `running` without a slot is marked failed.
 */
export async function claimNext(
  db: Database,
  options: { cap: number; ttlSeconds: number },
): Promise<ClaimedBrowserScan | 'busy' | 'empty'> {
  return db.kysely.transaction().execute(async (tx) => {
    await freeExpiredSlots(tx, 'public_browser_leases');
    await sql`
      update public_scans set browser_status = 'failed', browser_error = ${NOT_FINISHED}::jsonb, artefacts = null
      where browser_status = 'running'
        and id not in (select scan_id from public_browser_leases)`.execute(tx);
    const next = await sql<{ id: string; target: string; artefacts: unknown; report: unknown }>`
      select id, target, artefacts, report from public_scans
      where browser_status = 'queued' and expires_at > now()
      order by created_at, id
      limit 1
      for update skip locked`.execute(tx);
    const row = next.rows[0];
    if (!row) return 'empty';
    const claimed = await claimFreeSlot(
      () => insertIntoFreeSlot(tx, 'public_browser_leases', { scanId: row.id, ...options }),
      () =>
        sql<{ busy: boolean }>`
        select (select count(*) from public_browser_leases) >= ${options.cap} as busy`.execute(tx),
      options.cap,
    );
    if (!claimed) return 'busy';
    await tx
      .updateTable('public_scans')
      .set({ browser_status: 'running' })
      .where('id', '=', row.id)
      .execute();
    return { id: row.id, target: row.target, artefacts: row.artefacts, report: row.report as Report };
  });
}

/**
 * The browser stage ran: the report judged with it replaces the passive one; the artefacts go, each
 * visit's screenshot (`{ visit: base64 JPEG }`) stays beside the report until it expires.
 */
export async function finishBrowserScan(
  db: Database,
  id: string,
  report: Report,
  screenshots: Record<string, string>,
): Promise<void> {
  await db.kysely
    .updateTable('public_scans')
    .set({
      report: JSON.stringify(report),
      artefacts: null,
      browser_status: 'done',
      browser_error: null,
      screenshots: Object.keys(screenshots).length > 0 ? JSON.stringify(screenshots) : null,
    })
    .where('id', '=', id)
    .where('browser_status', '=', 'running')
    // An expired report was cleared by housekeeping meanwhile and stays cleared.
    .where('report', 'is not', null)
    .execute();
}

/** The browser stage failed: the passive report stays as it was, with the reason beside it. */
export async function failBrowserScan(
  db: Database,
  id: string,
  error: { code: string; message: string },
): Promise<void> {
  await db.kysely
    .updateTable('public_scans')
    .set({ artefacts: null, browser_status: 'failed', browser_error: JSON.stringify(error) })
    .where('id', '=', id)
    .where('browser_status', 'in', ['queued', 'running'])
    .execute();
}

export async function releaseSlot(db: Database, id: string): Promise<void> {
  await db.kysely.deleteFrom('public_browser_leases').where('scan_id', '=', id).execute();
}
