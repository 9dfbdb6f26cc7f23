import type { Finding, Report } from '../types.ts';
import { stripControl, truncate } from './escape.ts';
import { headerStrip } from './headers.ts';
import { privacyText } from './privacy-text.ts';
import { SEVERITY_STYLE } from './severity-style.ts';
import {
  capNote,
  causeFacts,
  deadline,
  notGradedReason,
  priorityView,
  NOT_GRADED_ADVICE,
  statusCounts,
} from './summary.ts';
import { wrap } from './wrap.ts';

const SGR = { red: '31', green: '32', yellow: '33', cyan: '36', gray: '90', bold: '1' } as const;

export interface TextOptions {
  /** ANSI colour: only on a terminal, never with NO_COLOR (the CLI decides). */
  color?: boolean;
  /** Wrap lines to this many columns (the terminal's width); undefined: no wrapping. */
  width?: number;
}

function gradeSgr(grade: string): string {
  return grade.startsWith('A') ? SGR.green : /^[BC]/.test(grade) ? SGR.yellow : SGR.red;
}

/**
 * Terminal report. Every site-supplied string goes through stripControl: no escape sequence survives.
 * Code in fixes keeps its backticks (the terminal's plain-text convention); lines are wrapped before
 * they are coloured, so escape sequences never count towards the width.
 */
export function renderText(report: Report, opts: TextOptions = {}): string {
  const sgr = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const clean = (s: string, max = 300) => truncate(stripControl(s), max);
  const lines: string[] = [];
  const add = (text: string, indent: string, paint: (line: string, first: boolean) => string = (l) => l) =>
    wrap(text, opts.width, indent).forEach((line, i) => lines.push(paint(line, i === 0)));
  const bold = (l: string) => sgr(SGR.bold, l);

  add(clean(`VIOscan report for ${report.target}`), '  ', bold);
  if (report.finalUrl && report.finalUrl !== report.target) add(`Final URL: ${clean(report.finalUrl)}`, '  ');
  const unGraded = notGradedReason(report);
  const view = priorityView(report);
  if (unGraded !== undefined || !view) {
    lines.push('');
    add(`Not graded: ${clean(unGraded ?? '')}`, '  ', (l) => sgr(SGR.red, bold(l)));
    add(NOT_GRADED_ADVICE, '  ');
    lines.push('');
    add(`Checks: ${statusCounts(report)}, none ran, so there are no findings to report.`, '  ');
  } else {
    if (report.error) {
      lines.push('');
      add(`Scan failed: ${clean(report.error.message)} [${clean(report.error.code, 40)}]`, '  ', (l) =>
        sgr(SGR.red, l),
      );
    }
    const grade = report.grade ?? '';
    lines.push(
      '',
      `Grade ${sgr(gradeSgr(grade), bold(grade))}  score ${report.score}`,
      `Observatory-compatible headers: ${report.headersGrade} (${report.headersScore})`,
    );
    const cap = capNote(report);
    if (cap) add(cap, '  ', (l) => sgr(SGR.red, l));
    lines.push('', 'Categories:');
    for (const c of report.categories) {
      lines.push(`  ${c.category.padEnd(13)} ${sgr(gradeSgr(c.grade), c.grade.padEnd(3))} ${c.score}`);
    }
    const strip = headerStrip(report);
    if (strip) {
      lines.push('');
      add(
        `Security headers: ${strip.map((h) => `${h.present ? '✓' : '✗'}\u00a0${h.label}`).join('  ')}`,
        '  ',
      );
    }
    lines.push('');
    add(`Checks: ${statusCounts(report)}`, '  ');

    if (view.fixFirst.length > 0) {
      lines.push('', bold('Fix these first'));
      view.fixFirst.forEach((step, i) => {
        add(
          `  ${i + 1}. ${clean(step.cause.title, 200)}: grade ${step.gradeAfter} (score ${step.scoreAfter}) once fixed`,
          '     ',
        );
        add(`     ${causeFacts(step.cause)}`, '     ');
        add(`     fix: ${clean(step.cause.fix, 1000)}`, '          ');
      });
    }

    const finding = (f: Finding, causeFix?: string) => {
      const s = SEVERITY_STYLE[f.severity];
      const accepted = f.accepted ? ' [accepted]' : '';
      add(
        `  • ${s.label.padEnd(8)} ${clean(f.title, 200)}${accepted}  (${clean(deadline(f), 200)})`,
        '             ',
        (l, first) => (first ? l.replace(s.label, sgr(s.ansi, s.label)) : l),
      );
      add(`             evidence: ${clean(f.evidence)}`, '                       ');
      if (f.remediation !== causeFix) add(`             fix: ${clean(f.remediation)}`, '                  ');
    };
    lines.push('', bold(`Findings by root cause (${report.findings.length})`));
    if (report.findings.length === 0) lines.push(sgr(SGR.green, '  No findings.'));
    for (const { cause, findings } of view.causes) {
      lines.push('');
      add(`${clean(cause.title, 200)} (${causeFacts(cause)})`, '  ', bold);
      add(`  fix: ${clean(cause.fix, 1000)}`, '       ');
      for (const f of findings) finding(f, cause.fix);
    }
    if (view.accepted.length > 0) {
      lines.push('', bold(`Accepted risks (${view.accepted.length})`));
      for (const f of view.accepted) finding(f);
    }
  }
  // Privacy lines are plain apart from bold titles; wrap each with a hanging indent past its own.
  for (const line of privacyText(report)) {
    const title = line !== '' && !line.startsWith(' ');
    add(line, `${/^ */.exec(line)![0]}    `, title ? bold : undefined);
  }
  lines.push('');
  add(`Scoring v${report.scoringVersion}, ${report.startedAt} → ${report.finishedAt}`, '  ', (l) =>
    sgr(SGR.gray, l),
  );
  // The last thing on the screen: what to do next.
  if (view && view.fixFirst.length > 0) {
    lines.push('', bold('Fix these first:'));
    view.fixFirst.forEach((step, i) =>
      add(`  ${i + 1}. ${clean(step.cause.title, 200)} → ${step.gradeAfter} (${step.scoreAfter})`, '     '),
    );
  }
  return `${lines.join('\n')}\n`;
}
