/** The privacy and accessibility sections in the HTML report: every cell HTML-escaped, no links from the page. */
import type { Report } from '../types.ts';
import { escapeHtml as h, truncate } from './escape.ts';
import { privacySections } from './privacy-sections.ts';

export function privacyHtml(report: Report): string {
  return privacySections(report)
    .map((section) => {
      const paragraphs = section.paragraphs.map((p) => `<p>${h(truncate(p, 600))}</p>`).join('\n');
      const tables = section.tables
        .map(({ caption, table }) => {
          const cap = caption ? `<caption>${h(caption)}</caption>` : '';
          if (table.rows.length === 0) return `${caption ? `<p>${h(caption)}: none.</p>` : ''}`;
          const head = table.head.map((c) => `<th>${h(c)}</th>`).join('');
          const rows = table.rows
            .map((row) => `<tr>${row.map((c) => `<td class="ev">${h(truncate(c, 300))}</td>`).join('')}</tr>`)
            .join('\n');
          return `<table>${cap}<thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
        })
        .join('\n');
      return `<h2>${h(section.title)}</h2>\n${paragraphs}\n${tables}`;
    })
    .join('\n');
}
