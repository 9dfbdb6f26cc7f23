import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB, FindingChange } from '../../db/types.ts';
import type { Report } from '../../scanner/types.ts';
import { dueDate, remediationTargets } from './due.ts';

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A finding's identity on a site across scans: the check and what it found (evidence varies). */
export const fingerprintOf = (f: { checkId: string; outcome: string }) => `${f.checkId}:${f.outcome}`;

/** Rows per multi-row statement: far below PostgreSQL's 65,535 bind parameters at 13 columns a row. */
const CHUNK = 500;
const chunks = <T>(xs: T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Normalises one scan's findings into `findings` (one row per site and fingerprint, with its
 * lifecycle) and `scan_findings` (what this scan saw and how it changed): new; regressed (a
 * resolved finding is back: reopened); persisting; fixed (an open or acknowledged finding whose
 * check ran and no longer reports it: resolved automatically). Accepted-risk and false-positive
 * findings keep their status while seen. Runs in the transaction that stores the result.
 *
 * A handful of statements whatever the number of findings (one multi-row insert for the new ones,
 * one update for the persisting ones, one for the fixed ones, one insert for the links; a regression,
 * rare, is its own update): two statements per finding were most of a scan job's statements (22 of
 * 35 for 10 findings, bench:service). `remediationDays` (the organisation's, when the caller already
 * has it) saves a read.
 */
export async function recordFindings(
  tx: Transaction<DB>,
  scan: { id: string; org_id: string; site_id: string },
  report: Report,
  now: Date,
  remediationDays?: string | null,
): Promise<Record<FindingChange, number>> {
  const days =
    remediationDays !== undefined
      ? remediationDays
      : (
          await tx
            .selectFrom('orgs')
            .select('remediation_days')
            .where('id', '=', scan.org_id)
            .executeTakeFirstOrThrow()
        ).remediation_days;
  const targets = remediationTargets(days);
  const existing = await tx.selectFrom('findings').selectAll().where('site_id', '=', scan.site_id).execute();
  const byPrint = new Map(existing.map((f) => [f.fingerprint, f]));
  const counts: Record<FindingChange, number> = { new: 0, regressed: 0, persisting: 0, fixed: 0 };
  const seen = new Set<string>();
  const links: { scan_id: string; finding_id: string; change: FindingChange }[] = [];
  const link = (findingId: string, change: FindingChange) => {
    counts[change]++;
    links.push({ scan_id: scan.id, finding_id: findingId, change });
  };
  const inserts: Insertable<DB['findings']>[] = [];
  const persisting: {
    id: string;
    severity: string;
    title: string;
    evidence: string;
    remediation: string;
    expired: boolean;
  }[] = [];

  for (const f of report.findings) {
    const fingerprint = fingerprintOf(f);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const details = {
      severity: f.severity,
      title: cap(f.title, 500),
      evidence: cap(f.evidence, 2000),
      remediation: cap(f.remediation, 2000),
    };
    const row = byPrint.get(fingerprint);
    if (!row) {
      const id = randomUUID();
      inserts.push({
        id,
        org_id: scan.org_id,
        site_id: scan.site_id,
        fingerprint,
        check_id: f.checkId,
        outcome: f.outcome,
        first_seen_at: now,
        due_at: dueDate(now, f.severity, targets),
        ...details,
        last_seen_at: now,
        last_scan_id: scan.id,
      });
      link(id, 'new');
    } else if (row.status === 'resolved') {
      // A regression reopens the finding; its clock restarts from when it came back.
      await tx
        .updateTable('findings')
        .set({
          ...details,
          last_seen_at: now,
          last_scan_id: scan.id,
          status: 'open',
          resolved_at: null,
          reopened_count: row.reopened_count + 1,
          due_at: dueDate(now, f.severity, targets),
        })
        .where('id', '=', row.id)
        .execute();
      link(row.id, 'regressed');
    } else {
      // An accepted risk whose acceptance has expired needs work again.
      const expired = row.status === 'accepted' && row.accepted_until !== null && row.accepted_until < now;
      persisting.push({ id: row.id, ...details, expired });
      link(row.id, 'persisting');
    }
  }
  for (const rows of chunks(inserts)) await tx.insertInto('findings').values(rows).execute();
  // Arrays, not JSON: each value travels as the text parameter it was one by one (same encoding).
  for (const rows of chunks(persisting))
    await sql`
      update findings as f set
        severity = v.severity, title = v.title, evidence = v.evidence, remediation = v.remediation,
        last_seen_at = ${now}, last_scan_id = ${scan.id},
        status = case when v.expired then 'open' else f.status end,
        accepted_reason = case when v.expired then null else f.accepted_reason end,
        accepted_until = case when v.expired then null else f.accepted_until end
      from unnest(
        ${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.severity)}::text[],
        ${rows.map((r) => r.title)}::text[], ${rows.map((r) => r.evidence)}::text[],
        ${rows.map((r) => r.remediation)}::text[], ${rows.map((r) => r.expired)}::boolean[]
      ) as v(id, severity, title, evidence, remediation, expired)
      where f.id = v.id`.execute(tx);

  // Only a check that actually ran can vouch that a finding is gone.
  const ran = new Set(
    report.checks.filter((c) => c.status !== 'error' && c.status !== 'skipped').map((c) => c.id),
  );
  const fixed = existing.filter(
    (row) =>
      !seen.has(row.fingerprint) &&
      ran.has(row.check_id) &&
      (row.status === 'open' || row.status === 'acknowledged'),
  );
  for (const rows of chunks(fixed))
    await tx
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: now })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  for (const row of fixed) link(row.id, 'fixed');
  for (const rows of chunks(links))
    await tx
      .insertInto('scan_findings')
      .values(rows)
      .onConflict((c) => c.columns(['scan_id', 'finding_id']).doNothing())
      .execute();
  return counts;
}
