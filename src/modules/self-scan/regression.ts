import type { SelfScanRegression, SeriousFinding } from '../../db/types.ts';
import { GRADE_BANDS } from '../../scanner/grade/grade.ts';

/** What a regression is judged on: one stored self-scan, or the one just finished. */
export interface SelfScanOutcome {
  status: 'succeeded' | 'failed';
  grade: string | null;
  serious: SeriousFinding[];
  error_message: string | null;
}

/** 0 for A+, growing as the grade gets worse; unknown grades rank worst. */
function rank(grade: string | null): number {
  const index = GRADE_BANDS.findIndex(([, g]) => g === grade);
  return index === -1 ? GRADE_BANDS.length : index;
}

/**
 * What got worse in `current`. A failure is news only when the scan before it did not fail (one
 * alert per outage, like the monitor's state changes). A finished scan is compared with the last
 * one that finished, so a failed run in between hides no drop: a lower grade, and each high or
 * critical finding (check and outcome) the baseline did not have. The first scan is the baseline.
 */
export function regressionsOf(
  current: SelfScanOutcome,
  previous: SelfScanOutcome | undefined,
  lastSucceeded: SelfScanOutcome | undefined,
): SelfScanRegression[] {
  if (current.status === 'failed')
    return previous?.status === 'failed'
      ? []
      : [
          {
            kind: 'scan.failed',
            from: previous?.grade ?? null,
            to: 'failed',
            detail: current.error_message ?? 'the scan failed',
          },
        ];
  if (!lastSucceeded) return [];
  const out: SelfScanRegression[] = [];
  if (rank(current.grade) > rank(lastSucceeded.grade))
    out.push({
      kind: 'grade.dropped',
      from: lastSucceeded.grade,
      to: current.grade ?? 'not graded',
      detail: 'the grade dropped',
    });
  const known = new Set(lastSucceeded.serious.map((f) => f.key));
  for (const finding of current.serious)
    if (!known.has(finding.key))
      out.push({ kind: 'finding.new', from: 'none', to: finding.severity, detail: finding.title });
  return out;
}
