/** Facts every renderer shows in the same order: priorities, findings grouped by severity, check counts. */
import { CHECKS } from '../checks/index.ts';
import { SEVERITY_ORDER } from '../severity.ts';
import type { Finding, Report, RootCause, Severity } from '../types.ts';
import { prioritise } from './priorities.ts';
import { SEVERITY_STYLE } from './severity-style.ts';

export function findingsBySeverity(report: Report): { severity: Severity; findings: Finding[] }[] {
  return SEVERITY_ORDER.map((severity) => ({
    severity,
    findings: report.findings.filter((f) => f.severity === severity),
  })).filter((g) => g.findings.length > 0);
}

export function statusCounts(report: Report): string {
  const counts = new Map<string, number>();
  for (const c of report.checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const text = ['pass', 'warn', 'fail', 'error', 'skipped']
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
  // Probe names are ours, not the site's; renderers escape this line like any other.
  return report.cutProbes?.length
    ? `${text} (cut at the probe deadline: ${report.cutProbes.join(', ')})`
    : text;
}

export function deadline(f: Finding): string {
  if (f.accepted) return `accepted until ${f.accepted.expires}: ${f.accepted.reason}`;
  return f.remediationDays === undefined
    ? 'no deadline'
    : `fix within ${f.remediationDays} day${f.remediationDays === 1 ? '' : 's'}`;
}

/** Why a report has no grade (the site could not be scanned at all), or undefined when it has one. */
export function notGradedReason(report: Report): string | undefined {
  if (report.grade !== null) return undefined;
  return report.error ? `${report.error.message} (${report.error.code})` : 'the site could not be scanned';
}

/** What to do about a site that could not be scanned, in every format (with a Retry/Rescan where there is one). */
export const NOT_GRADED_ADVICE =
  'Nothing was judged, so there is no grade. Check that the address is right, that the site is up and ' +
  'answers from where the scan ran (firewall, DNS), then scan again.';

/** One line naming the findings that capped the grade, when any did. */
export function capNote(report: Report): string | undefined {
  const cap = report.gradeCap;
  return cap ? `Grade capped at ${cap.grade} by ${cap.outcomes.join(', ')}` : undefined;
}

export interface CauseView {
  cause: RootCause;
  findings: Finding[];
}

export interface PriorityView {
  /** "Fix these first", in order: each step's score and grade count the steps above it. */
  fixFirst: (CauseView & { scoreAfter: number; gradeAfter: string })[];
  /** Every root cause with its findings, the largest lift first. */
  causes: CauseView[];
  /** Findings accepted as a risk: under no cause, listed apart. */
  accepted: Finding[];
}

/**
 * The report's priorities with their findings, for every renderer. A report stored before priorities
 * existed gets them computed now; an ungraded one has none.
 */
export function priorityView(report: Report): PriorityView | undefined {
  if (report.grade === null) return undefined;
  const p = report.priorities ?? prioritise(report.checks, report.findings, CHECKS);
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const view = (cause: RootCause): CauseView => ({
    cause,
    findings: cause.findings.flatMap((id) => byId.get(id) ?? []),
  });
  const causes = p.rootCauses.map(view);
  return {
    fixFirst: p.fixFirst.flatMap((step) => {
      const cause = causes.find((c) => c.cause.id === step.id);
      return cause ? [{ ...cause, scoreAfter: step.scoreAfter, gradeAfter: step.gradeAfter }] : [];
    }),
    causes,
    accepted: report.findings.filter((f) => f.accepted),
  };
}

/** "resolves 3 findings · hours" */
export function causeFacts(cause: RootCause): string {
  const n = cause.findings.length;
  return `${SEVERITY_STYLE[cause.severity].label} · ${cause.effort} of work · resolves ${n} finding${n === 1 ? '' : 's'}`;
}

export const severityLabel = (s: Severity) => SEVERITY_STYLE[s].label;
