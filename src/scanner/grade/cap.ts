/** Grade caps (GRADE_CAPS in the score table): findings that hold the grade down whatever else is right. */
import type { Finding, Report } from '../types.ts';
import { applyCap, maxScoreFor, type Grading } from './grade.ts';
import { GRADE_CAPS } from './score-table.ts';

/** Caps from GRADE_CAPS imposed by the findings: the overall grade and each capping check's category. */
export function capGrades(
  grading: Grading,
  findings: readonly Finding[],
): Grading & { cap?: Report['gradeCap'] } {
  const capping = findings.filter((f) => GRADE_CAPS[f.outcome] !== undefined);
  if (capping.length === 0) return grading;
  const worst = capping
    .map((f) => GRADE_CAPS[f.outcome]!)
    .reduce((a, b) => (maxScoreFor(a) <= maxScoreFor(b) ? a : b));
  const overall = applyCap(grading.score, worst);
  const cappedCategories = new Set(capping.map((f) => f.category));
  return {
    ...overall,
    categories: grading.categories.map((c) =>
      cappedCategories.has(c.category) ? { category: c.category, ...applyCap(c.score, worst) } : c,
    ),
    cap: { grade: worst, outcomes: [...new Set(capping.map((f) => f.outcome))] },
  };
}
