import type { Report } from '../types.ts';
import { escapeMarkdown as md, safeHref, truncate } from './escape.ts';
import { privacyMarkdown } from './privacy-markdown.ts';
import { capNote, deadline, findingsBySeverity, notGradedReason, statusCounts } from './summary.ts';

/** Markdown report (GitHub-flavoured). Site-supplied text is escaped; only http(s) references become links. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  out.push(`# VIOscan report: ${md(report.target)}`, '');
  const unGraded = notGradedReason(report);
  if (unGraded !== undefined) {
    out.push(`> **Not graded:** ${md(unGraded)}`, '', `Checks: ${md(statusCounts(report))}, none ran.`, '');
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
      '## Findings',
      '',
    );
  }
  const groups = findingsBySeverity(report);
  if (groups.length === 0 && unGraded === undefined) out.push('No findings.', '');
  for (const { severity, findings } of groups) {
    out.push(`### ${md(severity)} (${findings.length})`, '');
    for (const f of findings) {
      out.push(
        `- **${md(f.title)}**${f.accepted ? ' *(accepted)*' : ''} — ${md(f.checkId)}, ${md(deadline(f))}`,
      );
      out.push(`  - Evidence: ${md(truncate(f.evidence, 500))}`);
      out.push(`  - Fix: ${md(f.remediation)}`);
      const links = f.references.map((r) => safeHref(r)).filter((r) => r !== undefined);
      if (links.length > 0)
        out.push(`  - References: ${links.map((r) => `<${encodeURI(decodeURI(r))}>`).join(' ')}`);
    }
    out.push('');
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
