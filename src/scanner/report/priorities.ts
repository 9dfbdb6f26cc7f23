/**
 * Priorities: every open finding under one root cause (root-causes.ts), and "fix these first", the
 * few causes that lift the grade most. A cause's lift is measured, not guessed: the report is
 * re-scored with its findings gone (a check whose findings are all resolved loses its penalty),
 * grade caps included.
 */
import { SEVERITY_ORDER } from '../severity.ts';
import { capGrades } from '../grade/cap.ts';
import { gradeChecks } from '../grade/grade.ts';
import type { Check, CheckResult, Effort, Finding, Priorities, RootCause, Severity } from '../types.ts';
import { checkEffort, ruleFor } from './root-causes.ts';

export const FIX_FIRST_MAX = 3;
const EFFORT_ORDER: readonly Effort[] = ['minutes', 'hours', 'days'];

type Cause = Omit<RootCause, 'scoreAfter' | 'gradeAfter'>;

const worstSeverity = (list: readonly Finding[]): Severity =>
  SEVERITY_ORDER.find((s) => list.some((f) => f.severity === s)) ?? 'info';

/** The overall score and grade with the given findings resolved. */
export function scoreWithout(
  checks: readonly CheckResult[],
  findings: readonly Finding[],
  resolved: ReadonlySet<string>,
): { score: number; grade: string } {
  const left = findings.filter((f) => !resolved.has(f.id));
  const stillFailing = new Set(left.map((f) => f.checkId));
  const touched = new Set(findings.filter((f) => resolved.has(f.id)).map((f) => f.checkId));
  const rescored = checks.map((c) =>
    touched.has(c.id) && !stillFailing.has(c.id) && c.scoreModifier < 0 ? { ...c, scoreModifier: 0 } : c,
  );
  const { score, grade } = capGrades(gradeChecks(rescored), left);
  return { score, grade };
}

function groupCauses(open: readonly Finding[], checks: readonly Check[]): Cause[] {
  const byCheck = new Map(checks.map((c) => [c.id, c]));
  const groups = new Map<string, Finding[]>();
  for (const f of open) {
    const rule = ruleFor(f.checkId, f.outcome);
    const key = rule ? `rule:${rule.id}` : `check:${f.checkId}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  // A rule that caught one check's findings only gives way to that check's own, more precise, cause.
  for (const [key, list] of [...groups]) {
    const ids = new Set(list.map((f) => f.checkId));
    if (key.startsWith('rule:') && ids.size === 1) {
      groups.delete(key);
      const own = `check:${list[0]!.checkId}`;
      groups.set(own, [...(groups.get(own) ?? []), ...list]);
    }
  }
  return [...groups].map(([key, list]) => {
    const first = list[0]!;
    const rule = key.startsWith('rule:') ? ruleFor(first.checkId, first.outcome) : undefined;
    const check = byCheck.get(first.checkId);
    return {
      id: rule?.id ?? first.checkId,
      title: rule?.title ?? check?.failureTitle ?? first.title,
      fix: rule?.fix ?? first.remediation,
      effort: rule?.effort ?? checkEffort(first.checkId, first.category),
      severity: worstSeverity(list),
      findings: list.map((f) => f.id),
    };
  });
}

const bySeverityThenEffort = (a: Cause, b: Cause) =>
  SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
  EFFORT_ORDER.indexOf(a.effort) - EFFORT_ORDER.indexOf(b.effort) ||
  b.findings.length - a.findings.length;

export function prioritise(
  checks: readonly CheckResult[],
  findings: readonly Finding[],
  registry: readonly Check[],
): Priorities {
  const open = findings.filter((f) => !f.accepted);
  const now = scoreWithout(checks, findings, new Set()).score;
  const rootCauses: RootCause[] = groupCauses(open, registry)
    .map((c) => {
      const after = scoreWithout(checks, findings, new Set(c.findings));
      return { ...c, scoreAfter: after.score, gradeAfter: after.grade };
    })
    .sort((a, b) => b.scoreAfter - a.scoreAfter || bySeverityThenEffort(a, b));

  // Greedy: each step takes the cause that lifts the score most given the steps before it.
  const fixFirst: Priorities['fixFirst'] = [];
  const resolved = new Set<string>();
  let current = now;
  while (fixFirst.length < FIX_FIRST_MAX) {
    let best: { cause: RootCause; score: number; grade: string } | undefined;
    for (const cause of rootCauses) {
      if (fixFirst.some((s) => s.id === cause.id)) continue;
      const after = scoreWithout(checks, findings, new Set([...resolved, ...cause.findings]));
      if (after.score <= current) continue;
      if (
        !best ||
        after.score > best.score ||
        (after.score === best.score && bySeverityThenEffort(cause, best.cause) < 0)
      )
        best = { cause, ...after };
    }
    if (!best) break;
    for (const id of best.cause.findings) resolved.add(id);
    fixFirst.push({ id: best.cause.id, scoreAfter: best.score, gradeAfter: best.grade });
    current = best.score;
  }
  return { rootCauses, fixFirst };
}
