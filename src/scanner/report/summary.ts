/** Facts every renderer shows in the same order: findings grouped by severity, check counts. */
import { SEVERITY_ORDER } from '../severity.ts';
import type { Finding, Report, Severity } from '../types.ts';

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

/** One line naming the findings that capped the grade, when any did. */
export function capNote(report: Report): string | undefined {
  const cap = report.gradeCap;
  return cap ? `Grade capped at ${cap.grade} by ${cap.outcomes.join(', ')}` : undefined;
}
