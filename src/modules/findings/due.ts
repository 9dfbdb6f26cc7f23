import type { Severity } from '../../scanner/types.ts';
import { REMEDIATION_DAYS } from '../../scanner/grade/score-table.ts';

export type RemediationDays = Partial<Record<Severity, number>>;
const DAY_MS = 86_400_000;

/** The organisation's targets: the score table's, overridden per severity by `orgs.remediation_days`. */
export function remediationTargets(overridesJson: string | null): Record<Severity, number | undefined> {
  let overrides: RemediationDays = {};
  try {
    overrides = overridesJson ? (JSON.parse(overridesJson) as RemediationDays) : {};
  } catch {
    overrides = {};
  }
  return { ...REMEDIATION_DAYS, ...overrides };
}

/** Due date = first seen + the target for its severity; none for `info` (no target). */
export function dueDate(firstSeen: Date, severity: Severity, targets = REMEDIATION_DAYS): Date | null {
  const days = targets[severity];
  return days === undefined ? null : new Date(firstSeen.getTime() + days * DAY_MS);
}

/** Open and acknowledged findings need work; accepted risks, false positives and resolved ones do not. */
export const needsWork = (status: string): boolean => status === 'open' || status === 'acknowledged';

export type DueState = 'overdue' | 'due_soon' | 'on_track' | 'none';

/** Overdue once the due date has passed while the finding still needs work; due soon within 24 h. */
export function dueState(finding: { due_at: Date | null; status: string }, now = new Date()): DueState {
  if (!finding.due_at || !needsWork(finding.status)) return 'none';
  const left = finding.due_at.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left < DAY_MS ? 'due_soon' : 'on_track';
}
