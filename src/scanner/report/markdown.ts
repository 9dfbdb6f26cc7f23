import type { Finding, Report } from '../types.ts';
import { codeSpans } from './code-spans.ts';
import { escapeMarkdown as md, safeHref, stripControl, truncate } from './escape.ts';
import { headerStrip } from './headers.ts';
import { privacyMarkdown } from './privacy-markdown.ts';
import {
  capNote,
  causeFacts,
  deadline,
  NOT_GRADED_ADVICE,
  notGradedReason,
  priorityView,
  severityLabel,
  statusCounts,
} from './summary.ts';

/**
 * A fix with its code as code spans. A span's content is literal in CommonMark (§6.1), so it is only
 * stripped of control characters; a span holding a backtick cannot occur (backticks delimit spans).
 */
function fixText(text: string): string {
  return codeSpans(truncate(text, 1000))
    .map((s) => (s.code ? `\`${stripControl(s.text)}\`` : md(s.text)))
    .join('');
}

function findingLines(f: Finding, causeFix?: string): string[] {
  const out = [
    `- **${severityLabel(f.severity)}** · ${md(f.title)}${f.accepted ? ' *(accepted)*' : ''} · ${md(deadline(f))}`,
    `  - Evidence: ${md(truncate(f.evidence, 500))}`,
  ];
  if (f.remediation !== causeFix) out.push(`  - Fix: ${fixText(f.remediation)}`);
  const links = f.references.map((r) => safeHref(r)).filter((r) => r !== undefined);
  if (links.length > 0)
    out.push(`  - References: ${links.map((r) => `<${encodeURI(decodeURI(r))}>`).join(' ')}`);
  return out;
}

/** Markdown report (GitHub-flavoured). Site-supplied text is escaped; only http(s) references become links. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  out.push(`# VIOscan report: ${md(report.target)}`, '');
  const unGraded = notGradedReason(report);
  const view = priorityView(report);
  if (unGraded !== undefined || !view) {
    out.push(
      `> **Not graded:** ${md(unGraded ?? '')}`,
      '',
      md(NOT_GRADED_ADVICE),
      '',
      `Checks: ${md(statusCounts(report))}, none ran.`,
      '',
    );
  } else {
    if (report.error)
      out.push(`> **Scan failed:** ${md(report.error.message)} (${md(report.error.code)})`, '');
    out.push(
      `**Grade ${md(report.grade ?? '')}** (score ${report.score}) · Observatory-compatible headers grade ` +
        `**${md(report.headersGrade ?? '')}** (${report.headersScore}) · checks: ${md(statusCounts(report))}`,
      '',
    );
    const cap = capNote(report);
    if (cap) out.push(`> **${md(cap)}**`, '');
    out.push(
      '| Category | Grade | Score |',
      '| --- | --- | --- |',
      ...report.categories.map((c) => `| ${md(c.category)} | ${md(c.grade)} | ${c.score} |`),
      '',
    );
    const strip = headerStrip(report);
    if (strip)
      out.push(
        `**Security headers:** ${strip.map((h) => `${h.present ? '✅' : '❌'} ${md(h.label)}`).join(' · ')}`,
        '',
      );
    if (view.fixFirst.length > 0) {
      out.push('## Fix these first', '');
      view.fixFirst.forEach((step, i) => {
        out.push(
          `${i + 1}. **${md(step.cause.title)}**: grade ${md(step.gradeAfter)} (score ${step.scoreAfter}) once fixed. ` +
            `${md(causeFacts(step.cause))}.  `,
          `   ${fixText(step.cause.fix)}`,
        );
      });
      out.push('');
    }
    out.push(`## Findings by root cause (${report.findings.length})`, '');
    if (report.findings.length === 0) out.push('No findings.', '');
    for (const { cause, findings } of view.causes) {
      out.push(`### ${md(cause.title)}`, '', `${md(causeFacts(cause))}. Fix: ${fixText(cause.fix)}`, '');
      for (const f of findings) out.push(...findingLines(f, cause.fix));
      out.push('');
    }
    if (view.accepted.length > 0) {
      out.push(`### Accepted risks (${view.accepted.length})`, '');
      for (const f of view.accepted) out.push(...findingLines(f));
      out.push('');
    }
  }
  out.push(...privacyMarkdown(report));
  out.push('## Checks', '', '| Check | Status | Modifier | Evidence |', '| --- | --- | --- | --- |');
  for (const c of report.checks) {
    out.push(`| ${md(c.id)} | ${md(c.status)} | ${c.scoreModifier} | ${md(truncate(c.evidence, 200))} |`);
  }
  out.push(
    '',
    `*Scoring version ${report.scoringVersion}, ${md(report.startedAt)} → ${md(report.finishedAt)}*`,
    '',
  );
  return out.join('\n');
}
