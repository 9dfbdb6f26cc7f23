import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB, FindingChange } from '../../db/types.ts';
import type { Report } from '../../scanner/types.ts';
import { dueDate, remediationTargets } from './due.ts';

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A finding's identity on a site across scans: the check and what it found (evidence varies). */
export const fingerprintOf = (f: { checkId: string; outcome: string }) => `${f.checkId}:${f.outcome}`;

/**
 * Normalises one scan's findings into `findings` (one row per site and fingerprint, with its
 * lifecycle) and `scan_findings` (what this scan saw and how it changed): new; regressed (a
 * resolved finding is back: reopened); persisting; fixed (an open or acknowledged finding whose
 * check ran and no longer reports it: resolved automatically). Accepted-risk and false-positive
 * findings keep their status while seen. Runs in the transaction that stores the result.
 */
export async function recordFindings(
  tx: Transaction<DB>,
  scan: { id: string; org_id: string; site_id: string },
  report: Report,
  now: Date,
): Promise<Record<FindingChange, number>> {
  const org = await tx
    .selectFrom('orgs')
    .select('remediation_days')
    .where('id', '=', scan.org_id)
    .executeTakeFirstOrThrow();
  const targets = remediationTargets(org.remediation_days);
  const existing = await tx.selectFrom('findings').selectAll().where('site_id', '=', scan.site_id).execute();
  const byPrint = new Map(existing.map((f) => [f.fingerprint, f]));
  const counts: Record<FindingChange, number> = { new: 0, regressed: 0, persisting: 0, fixed: 0 };
  const seen = new Set<string>();
  const link = async (findingId: string, change: FindingChange) => {
    counts[change]++;
    await tx
      .insertInto('scan_findings')
      .values({ scan_id: scan.id, finding_id: findingId, change })
      .onConflict((c) => c.columns(['scan_id', 'finding_id']).doNothing())
      .execute();
  };

  for (const f of report.findings) {
    const fingerprint = fingerprintOf(f);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const details = {
      severity: f.severity,
      title: cap(f.title, 500),
      evidence: cap(f.evidence, 2000),
      remediation: cap(f.remediation, 2000),
      last_seen_at: now,
      last_scan_id: scan.id,
    };
    const row = byPrint.get(fingerprint);
    if (!row) {
      const id = randomUUID();
      await tx
        .insertInto('findings')
        .values({
          id,
          org_id: scan.org_id,
          site_id: scan.site_id,
          fingerprint,
          check_id: f.checkId,
          outcome: f.outcome,
          first_seen_at: now,
          due_at: dueDate(now, f.severity, targets),
          ...details,
        })
        .execute();
      await link(id, 'new');
    } else if (row.status === 'resolved') {
      // A regression reopens the finding; its clock restarts from when it came back.
      await tx
        .updateTable('findings')
        .set({
          ...details,
          status: 'open',
          resolved_at: null,
          reopened_count: row.reopened_count + 1,
          due_at: dueDate(now, f.severity, targets),
        })
        .where('id', '=', row.id)
        .execute();
      await link(row.id, 'regressed');
    } else {
      // An accepted risk whose acceptance has expired needs work again.
      const expired = row.status === 'accepted' && row.accepted_until !== null && row.accepted_until < now;
      await tx
        .updateTable('findings')
        .set({
          ...details,
          ...(expired ? { status: 'open' as const, accepted_reason: null, accepted_until: null } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      await link(row.id, 'persisting');
    }
  }

  // Only a check that actually ran can vouch that a finding is gone.
  const ran = new Set(
    report.checks.filter((c) => c.status !== 'error' && c.status !== 'skipped').map((c) => c.id),
  );
  for (const row of existing) {
    if (seen.has(row.fingerprint) || !ran.has(row.check_id)) continue;
    if (row.status !== 'open' && row.status !== 'acknowledged') continue;
    await tx
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: now })
      .where('id', '=', row.id)
      .execute();
    await link(row.id, 'fixed');
  }
  return counts;
}
