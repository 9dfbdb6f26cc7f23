import type { Report, Severity } from '../types.ts';
import { escapeHtml as h, safeHref, truncate } from './escape.ts';
import { privacyHtml } from './privacy-html.ts';
import { capNote, deadline, findingsBySeverity, notGradedReason, statusCounts } from './summary.ts';

const COLOURS: Record<Severity, string> = {
  critical: '#7b1fa2',
  high: '#c62828',
  medium: '#ef6c00',
  low: '#0277bd',
  info: '#616161',
};

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem;word-break:break-all}.grade{font-size:3rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
.sev{color:#fff;border-radius:3px;padding:0 .4rem;font-size:.8rem;text-transform:uppercase}
.finding{border-left:4px solid #ccc;padding:.2rem .8rem;margin:.8rem 0;break-inside:avoid}
code,.ev{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
.error{background:#fdecea;padding:.8rem;border-radius:4px}
@media print{body{margin:0;max-width:none}a{color:inherit}}`;

/**
 * Self-contained, printable HTML page. No scripts, no external resources; the page's own CSP
 * (default-src 'none') means even a missed escape could not load or run anything.
 */
export function renderHtml(report: Report): string {
  const link = (url: string) => {
    const href = safeHref(url);
    return href ? `<a href="${h(href)}" rel="noreferrer noopener">${h(href)}</a>` : h(url);
  };
  const findings = findingsBySeverity(report)
    .map(({ severity, findings: list }) => {
      const items = list
        .map(
          (f) => `<div class="finding" style="border-color:${COLOURS[f.severity]}">
<p><span class="sev" style="background:${COLOURS[f.severity]}">${h(f.severity)}</span> <strong>${h(f.title)}</strong>${f.accepted ? ' <em>(accepted)</em>' : ''}<br><small>${h(f.checkId)} · ${h(deadline(f))}</small></p>
<p>Evidence: <span class="ev">${h(truncate(f.evidence, 500))}</span></p>
<p>Fix: ${h(f.remediation)}</p>
<p><small>${f.references.map(link).join(' · ')}</small></p></div>`,
        )
        .join('\n');
      return `<h3>${h(severity)} (${list.length})</h3>\n${items}`;
    })
    .join('\n');
  const checks = report.checks
    .map(
      (c) =>
        `<tr><td><code>${h(c.id)}</code></td><td>${h(c.status)}</td><td>${c.scoreModifier}</td><td class="ev">${h(truncate(c.evidence, 300))}</td></tr>`,
    )
    .join('\n');
  const categories = report.categories
    .map((c) => `<tr><td>${h(c.category)}</td><td>${h(c.grade)}</td><td>${c.score}</td></tr>`)
    .join('\n');
  const unGraded = notGradedReason(report);
  const cap = capNote(report);
  const headline =
    unGraded !== undefined
      ? `<p class="error"><strong>Not graded:</strong> ${h(unGraded)}</p>\n<p>${h(statusCounts(report))}: no check ran, so there are no findings to report.</p>`
      : [
          report.error
            ? `<p class="error"><strong>Scan failed:</strong> ${h(report.error.message)} (${h(report.error.code)})</p>`
            : '',
          `<p><span class="grade">${h(report.grade ?? '')}</span> score ${report.score} · Observatory-compatible headers grade <strong>${h(report.headersGrade ?? '')}</strong> (${report.headersScore}) · ${h(statusCounts(report))}</p>`,
          cap ? `<p class="error">${h(cap)}</p>` : '',
          `<table><thead><tr><th>Category</th><th>Grade</th><th>Score</th></tr></thead><tbody>\n${categories}\n</tbody></table>`,
        ]
          .filter(Boolean)
          .join('\n');
  const findingsSection =
    unGraded === undefined ? `<h2>Findings</h2>\n${findings || '<p>No findings.</p>'}\n` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>VIOscan report: ${h(report.target)}</title>
<style>${STYLE}</style></head><body>
<h1>VIOscan report: ${h(report.target)}</h1>
${headline}
${findingsSection}${privacyHtml(report)}
<h2>Checks</h2>
<table><thead><tr><th>Check</th><th>Status</th><th>Modifier</th><th>Evidence</th></tr></thead><tbody>
${checks}
</tbody></table>
<p><small>Scoring version ${report.scoringVersion} · ${h(report.startedAt)} → ${h(report.finishedAt)}</small></p>
</body></html>
`;
}
