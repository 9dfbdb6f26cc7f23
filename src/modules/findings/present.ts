import type { Selectable } from 'kysely';
import type { FindingsTable } from '../../db/types.ts';
import { dueState, needsWork } from './due.ts';

export type FindingRow = Selectable<FindingsTable>;

/** Finding row → API JSON, with its due state computed at `now`. */
export function presentFinding(f: FindingRow, now = new Date()) {
  const due = dueState(f, now);
  return {
    id: f.id,
    siteId: f.site_id,
    checkId: f.check_id,
    outcome: f.outcome,
    severity: f.severity,
    title: f.title,
    evidence: f.evidence,
    remediation: f.remediation,
    status: f.status,
    firstSeenAt: f.first_seen_at.toISOString(),
    lastSeenAt: f.last_seen_at.toISOString(),
    dueAt: f.due_at?.toISOString() ?? null,
    due,
    overdue: due === 'overdue',
    resolvedAt: f.resolved_at?.toISOString() ?? null,
    accepted:
      f.status === 'accepted' && f.accepted_reason && f.accepted_until
        ? { reason: f.accepted_reason, until: f.accepted_until.toISOString() }
        : null,
    reopenedCount: f.reopened_count,
  };
}
export type PresentedFinding = ReturnType<typeof presentFinding>;

/** Counts by severity, due state and status, for the board's header. */
export function countFindings(findings: PresentedFinding[]) {
  const zero = <K extends string>(keys: readonly K[]) =>
    Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const counts = {
    total: findings.length,
    open: 0,
    openBySeverity: zero(['critical', 'high', 'medium', 'low', 'info'] as const),
    bySeverity: zero(['critical', 'high', 'medium', 'low', 'info'] as const),
    byDue: zero(['overdue', 'due_soon', 'on_track', 'none'] as const),
    byStatus: zero(['open', 'acknowledged', 'resolved', 'accepted', 'false_positive'] as const),
  };
  for (const f of findings) {
    counts.bySeverity[f.severity]++;
    counts.byDue[f.due]++;
    counts.byStatus[f.status]++;
    if (needsWork(f.status)) {
      counts.open++;
      counts.openBySeverity[f.severity]++;
    }
  }
  return counts;
}
