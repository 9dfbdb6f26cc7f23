import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { FindingStatus, FindingsTable } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { FindingRow } from './present.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listFindings(
  db: Database,
  orgId: string,
  filter: {
    siteId?: string | undefined;
    severity?: FindingsTable['severity'] | undefined;
    status?: FindingStatus | undefined;
  },
): Promise<FindingRow[]> {
  let q = db.kysely.selectFrom('findings').selectAll().where('org_id', '=', orgId);
  if (filter.siteId !== undefined)
    q = q.where('site_id', '=', UUID.test(filter.siteId) ? filter.siteId : randomUUID());
  if (filter.severity !== undefined) q = q.where('severity', '=', filter.severity);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return q.orderBy('due_at', 'asc').orderBy('first_seen_at').orderBy('id').execute();
}

/** A finding, only within its organisation: another org's finding is `not_found`. */
export async function getFinding(db: Database, orgId: string, findingId: string): Promise<FindingRow> {
  const row = UUID.test(findingId)
    ? await db.kysely
        .selectFrom('findings')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', findingId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found');
  return row;
}

export async function setStatus(
  db: Database,
  findingId: string,
  from: FindingStatus,
  change: { status: FindingStatus; reason: string | null; until: Date | null },
): Promise<FindingRow> {
  const row = await db.kysely
    .updateTable('findings')
    .set({ status: change.status, accepted_reason: change.reason, accepted_until: change.until })
    .where('id', '=', findingId)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'The finding changed meanwhile; reload and try again.');
  return row;
}

/** New targets apply to every finding of the organisation: due = first seen + the new target. */
export async function setRemediationDays(
  db: Database,
  orgId: string,
  days: Record<string, number>,
): Promise<void> {
  await db.kysely.transaction().execute(async (tx) => {
    await tx
      .updateTable('orgs')
      .set({ remediation_days: JSON.stringify(days) })
      .where('id', '=', orgId)
      .execute();
    for (const [severity, n] of Object.entries(days)) {
      await tx
        .updateTable('findings')
        .set({ due_at: sql<Date>`first_seen_at + make_interval(days => ${n}::int)` })
        .where('org_id', '=', orgId)
        .where('severity', '=', severity as FindingsTable['severity'])
        .execute();
    }
  });
}
