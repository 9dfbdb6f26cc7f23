import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { ScanSource, ScanStatus } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { ScanDiff, ScanRow } from './present.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);

export async function insertScan(
  db: Database,
  scan: {
    orgId: string;
    siteId: string;
    target: string;
    host: string;
    source: ScanSource;
    requestedBy: string | null;
    active: boolean;
    browser: boolean;
  },
): Promise<ScanRow> {
  return db.kysely
    .insertInto('scans')
    .values({
      id: randomUUID(),
      org_id: scan.orgId,
      site_id: scan.siteId,
      target: scan.target,
      host: scan.host,
      source: scan.source,
      requested_by: scan.requestedBy,
      active: scan.active,
      browser: scan.browser,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setJobId(db: Database, scanId: string, jobId: string | null): Promise<void> {
  await db.kysely.updateTable('scans').set({ job_id: jobId }).where('id', '=', scanId).execute();
}

/** A scan, only within its organisation: another org's scan is `not_found`. */
export async function getScan(db: Database, orgId: string, scanId: string): Promise<ScanRow> {
  const scan = isUuid(scanId)
    ? await db.kysely
        .selectFrom('scans')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', scanId)
        .executeTakeFirst()
    : undefined;
  if (!scan) throw new AppError('not_found');
  return scan;
}

export async function scanById(db: Database, scanId: string): Promise<ScanRow | undefined> {
  return db.kysely.selectFrom('scans').selectAll().where('id', '=', scanId).executeTakeFirst();
}

export async function listScans(
  db: Database,
  orgId: string,
  filter: { siteId?: string | undefined; status?: ScanStatus | undefined; limit: number },
): Promise<ScanRow[]> {
  let q = db.kysely.selectFrom('scans').selectAll().where('org_id', '=', orgId);
  if (filter.siteId !== undefined)
    q = q.where('site_id', '=', isUuid(filter.siteId) ? filter.siteId : randomUUID());
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).execute();
}

/** Only a queued or running scan can be cancelled; answers the row as it is now. */
export async function cancelScan(db: Database, scanId: string): Promise<ScanRow | undefined> {
  return db.kysely
    .updateTable('scans')
    .set({ status: 'cancelled', finished_at: sql<Date>`now()` })
    .where('id', '=', scanId)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
}

/** queued → running (or running again on a retry); nothing when it was cancelled or finished meanwhile. */
export async function markRunning(db: Database, scanId: string): Promise<ScanRow | undefined> {
  return db.kysely
    .updateTable('scans')
    .set((eb) => ({
      status: 'running',
      progress: 10,
      attempts: eb('attempts', '+', 1),
      started_at: sql<Date>`coalesce(started_at, now())`,
    }))
    .where('id', '=', scanId)
    .where('status', 'in', ['queued', 'running'])
    .returningAll()
    .executeTakeFirst();
}

export async function setProgress(db: Database, scanId: string, progress: number): Promise<void> {
  await db.kysely
    .updateTable('scans')
    .set({ progress })
    .where('id', '=', scanId)
    .where('status', '=', 'running')
    .execute();
}

export async function markFailed(
  db: Database,
  scanId: string,
  error: { code: string; message: string },
): Promise<boolean> {
  const result = await db.kysely
    .updateTable('scans')
    .set({
      status: 'failed',
      progress: 100,
      finished_at: sql<Date>`now()`,
      error_code: error.code,
      error_message: error.message.slice(0, 500),
    })
    .where('id', '=', scanId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function diffsOf(db: Database, scanIds: string[]): Promise<Map<string, ScanDiff>> {
  const out = new Map<string, ScanDiff>();
  if (scanIds.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('scan_findings')
    .select(['scan_id', 'change', (eb) => eb.fn.countAll<string>().as('n')])
    .where('scan_id', 'in', scanIds)
    .groupBy(['scan_id', 'change'])
    .execute();
  for (const row of rows) {
    const diff = out.get(row.scan_id) ?? { new: 0, fixed: 0, regressed: 0, persisting: 0 };
    diff[row.change] = Number(row.n);
    out.set(row.scan_id, diff);
  }
  return out;
}

/** Emails of the members who requested these scans (deleted accounts are absent). */
export async function requesterEmails(db: Database, scans: ScanRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(scans.map((s) => s.requested_by).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.kysely.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}
