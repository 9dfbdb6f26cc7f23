/** The privacy and accessibility sections in the Markdown report: every cell escaped, links never formed. */
import type { Report } from '../types.ts';
import { escapeMarkdown as md, truncate } from './escape.ts';
import { privacySections } from './privacy-sections.ts';

export function privacyMarkdown(report: Report): string[] {
  const out: string[] = [];
  for (const section of privacySections(report)) {
    out.push(`## ${md(section.title)}`, '');
    for (const p of section.paragraphs) out.push(md(truncate(p, 600)), '');
    for (const { caption, table } of section.tables) {
      if (caption) out.push(`**${md(caption)}**`, '');
      if (table.rows.length === 0) {
        out.push('None.', '');
        continue;
      }
      out.push(
        `| ${table.head.map(md).join(' | ')} |`,
        `| ${table.head.map(() => '---').join(' | ')} |`,
        ...table.rows.map((row) => `| ${row.map((c) => md(truncate(c, 200))).join(' | ')} |`),
        '',
      );
    }
  }
  return out;
}
