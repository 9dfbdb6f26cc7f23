import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Database } from '../../db/kysely.ts';
import type { AlertType } from '../../db/types.ts';
import type { Report } from '../../scanner/types.ts';
import { privacyChanges } from './privacy-changes.ts';

export const ALERT_TYPES: AlertType[] = [
  'grade.dropped',
  'finding.new_high',
  'finding.overdue',
  'privacy.changed',
];
export const DELIVER_QUEUE = 'alert-deliver';

async function raise(db: Database, orgId: string, siteId: string | null, type: AlertType, details: object) {
  const id = randomUUID();
  await db.kysely
    .insertInto('alert_events')
    .values({ id, org_id: orgId, site_id: siteId, type, details: JSON.stringify(details) })
    .execute();
  return id;
}

/**
 * After a scan is stored: a lower score than the site's previous scan, new or regressed critical/high
 * findings, and privacy changes since the site's previous browser scan (privacy-changes.ts).
 */
export async function raiseScanAlerts(db: Database, scanId: string, report?: Report): Promise<string[]> {
  const scan = await db.kysely
    .selectFrom('scans')
    .innerJoin('sites', 'sites.id', 'scans.site_id')
    .select([
      'scans.id',
      'scans.org_id',
      'scans.site_id',
      'scans.grade',
      'scans.score',
      'scans.finished_at',
      'sites.url',
    ])
    .where('scans.id', '=', scanId)
    .where('scans.status', '=', 'succeeded')
    .executeTakeFirst();
  if (!scan) return [];
  const raised: string[] = [];
  const previous = await db.kysely
    .selectFrom('scans')
    .select(['grade', 'score'])
    .where('site_id', '=', scan.site_id)
    .where('status', '=', 'succeeded')
    .where('id', '!=', scan.id)
    .where('finished_at', '<=', scan.finished_at!)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (previous && previous.grade !== scan.grade && (previous.score ?? 0) > (scan.score ?? 0)) {
    raised.push(
      await raise(db, scan.org_id, scan.site_id, 'grade.dropped', {
        site: scan.url,
        scanId: scan.id,
        from: previous.grade,
        to: scan.grade,
      }),
    );
  }
  const high = await db.kysely
    .selectFrom('scan_findings')
    .innerJoin('findings', 'findings.id', 'scan_findings.finding_id')
    .select(['findings.id', 'findings.title', 'findings.severity', 'scan_findings.change'])
    .where('scan_findings.scan_id', '=', scan.id)
    .where('scan_findings.change', 'in', ['new', 'regressed'])
    .where('findings.severity', 'in', ['critical', 'high'])
    .execute();
  if (high.length)
    raised.push(
      await raise(db, scan.org_id, scan.site_id, 'finding.new_high', {
        site: scan.url,
        scanId: scan.id,
        findings: high,
      }),
    );
  const privacy = await privacyAlert(db, scan, report);
  if (privacy)
    raised.push(
      await raise(db, scan.org_id, scan.site_id, 'privacy.changed', {
        site: scan.url,
        scanId: scan.id,
        ...privacy,
      }),
    );
  return raised;
}

/** `stored`: the report the scan stored, when the caller has it (the scan job): saves reading it back. */
async function privacyAlert(
  db: Database,
  scan: { id: string; site_id: string; finished_at: Date | null },
  stored?: Report,
) {
  const reportOf = (query: Promise<{ report: string | null } | undefined>) =>
    query.then((row) => (row?.report ? (JSON.parse(row.report) as Report).privacy : undefined));
  const current = stored
    ? stored.privacy
    : await reportOf(
        db.kysely.selectFrom('scans').select('report').where('id', '=', scan.id).executeTakeFirst(),
      );
  if (!current) return undefined;
  const previous = await reportOf(
    db.kysely
      .selectFrom('scans')
      .select('report')
      .where('site_id', '=', scan.site_id)
      .where('status', '=', 'succeeded')
      .where('browser', '=', true)
      .where('id', '!=', scan.id)
      .where('finished_at', '<=', scan.finished_at!)
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  return privacyChanges(previous, current);
}

/** Findings that passed their due date while still open: one alert per organisation, once per due date. */
export async function raiseOverdue(db: Database, now = new Date()): Promise<string[]> {
  const rows = await db.kysely
    .updateTable('findings')
    .set({ overdue_alerted_at: now })
    .where('status', 'in', ['open', 'acknowledged'])
    .where('due_at', '<', now)
    .where((eb) =>
      eb.or([eb('overdue_alerted_at', 'is', null), eb('overdue_alerted_at', '<', eb.ref('due_at'))]),
    )
    .returning(['id', 'org_id', 'site_id', 'title', 'severity', 'due_at'])
    .execute();
  const byOrg = new Map<string, typeof rows>();
  for (const r of rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
  const raised: string[] = [];
  for (const [orgId, list] of byOrg)
    raised.push(
      await raise(db, orgId, null, 'finding.overdue', {
        findings: list.map((f) => ({
          id: f.id,
          siteId: f.site_id,
          title: f.title,
          severity: f.severity,
          dueAt: f.due_at,
        })),
      }),
    );
  return raised;
}

/** Hands every undispatched event to the delivery queue; each event is claimed once. */
export async function dispatchAlerts(db: Database, boss: PgBoss): Promise<number> {
  const pending = await db.kysely
    .selectFrom('alert_events')
    .select('id')
    .where('dispatched_at', 'is', null)
    .execute();
  let sent = 0;
  for (const { id } of pending) {
    const claimed = await db.kysely
      .updateTable('alert_events')
      .set({ dispatched_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('dispatched_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    await boss.send(DELIVER_QUEUE, { eventId: id }, { retryLimit: 3, retryBackoff: true });
    sent++;
  }
  return sent;
}
