import type { Report, Severity } from '../types.ts';
import { stripControl, truncate } from './escape.ts';
import { privacyText } from './privacy-text.ts';
import { capNote, deadline, findingsBySeverity, notGradedReason, statusCounts } from './summary.ts';

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
type Colour = keyof typeof CODES;

const SEVERITY_COLOUR: Record<Severity, Colour> = {
  critical: 'magenta',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};

function gradeColour(grade: string): Colour {
  return grade.startsWith('A') ? 'green' : grade.startsWith('B') || grade.startsWith('C') ? 'yellow' : 'red';
}

/** Terminal report. Every site-supplied string goes through stripControl: no escape sequence survives. */
export function renderText(report: Report, opts: { color?: boolean } = {}): string {
  const paint = (colour: Colour, s: string) => (opts.color ? `\u001b[${CODES[colour]}m${s}\u001b[0m` : s);
  const clean = (s: string, max = 300) => truncate(stripControl(s), max);
  const lines: string[] = [];
  lines.push(paint('bold', `VIOscan report for ${clean(report.target)}`));
  if (report.finalUrl && report.finalUrl !== report.target)
    lines.push(`Final URL: ${clean(report.finalUrl)}`);
  const unGraded = notGradedReason(report);
  if (unGraded !== undefined) {
    lines.push('', paint('red', paint('bold', `Not graded: ${clean(unGraded)}`)));
    lines.push('', `Checks: ${statusCounts(report)} — none ran, so there are no findings to report.`);
  } else {
    if (report.error) {
      lines.push(
        '',
        paint('red', `Scan failed: ${clean(report.error.message)} [${clean(report.error.code, 40)}]`),
      );
    }
    const grade = report.grade ?? '';
    lines.push(
      '',
      `Grade ${paint(gradeColour(grade), paint('bold', grade))}  score ${report.score}` +
        `   Observatory-compatible headers: ${report.headersGrade} (${report.headersScore})`,
    );
    const cap = capNote(report);
    if (cap) lines.push(paint('red', cap));
    lines.push('', 'Categories:');
    for (const c of report.categories) {
      lines.push(`  ${c.category.padEnd(13)} ${paint(gradeColour(c.grade), c.grade.padEnd(3))} ${c.score}`);
    }
    lines.push('', `Checks: ${statusCounts(report)}`);
    const groups = findingsBySeverity(report);
    if (groups.length === 0) lines.push('', paint('green', 'No findings.'));
    for (const { severity, findings } of groups) {
      lines.push(
        '',
        paint(SEVERITY_COLOUR[severity], paint('bold', `${severity.toUpperCase()} (${findings.length})`)),
      );
      for (const f of findings) {
        const accepted = f.accepted ? paint('gray', ' [accepted]') : '';
        lines.push(
          `  • ${clean(f.title, 200)}${accepted}  ${paint('gray', `(${f.checkId}, ${clean(deadline(f), 200)})`)}`,
        );
        lines.push(`    evidence: ${clean(f.evidence)}`);
        lines.push(`    fix: ${clean(f.remediation)}`);
      }
    }
  }
  lines.push(...privacyText(report, (s) => paint('bold', s)));
  lines.push(
    '',
    paint('gray', `Scoring v${report.scoringVersion}, ${report.startedAt} → ${report.finishedAt}`),
  );
  return `${lines.join('\n')}\n`;
}
