/** The privacy and accessibility sections in the terminal report: every cell stripped of control characters. */
import type { Report } from '../types.ts';
import { stripControl, truncate } from './escape.ts';
import { privacySections } from './privacy-sections.ts';

const clean = (s: string, max = 160) => truncate(stripControl(s), max);

export function privacyText(report: Report, bold: (s: string) => string = (s) => s): string[] {
  const lines: string[] = [];
  for (const section of privacySections(report)) {
    lines.push('', bold(section.title));
    for (const p of section.paragraphs) lines.push(`  ${clean(p, 600)}`);
    for (const { caption, table } of section.tables) {
      if (caption) lines.push(`  ${clean(caption)}:`);
      if (table.rows.length === 0) {
        lines.push('    (none)');
        continue;
      }
      lines.push(`    ${table.head.join(' · ')}`);
      for (const row of table.rows) lines.push(`    - ${row.map((c) => clean(c)).join(' · ')}`);
    }
  }
  return lines;
}
