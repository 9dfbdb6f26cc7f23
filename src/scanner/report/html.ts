import { SEVERITY_ORDER } from '../severity.ts';
import type { Finding, Report } from '../types.ts';
import { codeSpans } from './code-spans.ts';
import { escapeHtml as h, safeHref, truncate } from './escape.ts';
import { headerStrip } from './headers.ts';
import { REPORT_STYLE, REPORT_STYLE_HASH } from './html-style.ts';
import { privacyHtml } from './privacy-html.ts';
import {
  capNote,
  causeFacts,
  deadline,
  NOT_GRADED_ADVICE,
  notGradedReason,
  priorityView,
  severityLabel,
  statusCounts,
  type PriorityView,
} from './summary.ts';

const gradeClass = (grade: string) =>
  `grade grade-${/^[a-f]/i.test(grade) ? grade[0]!.toLowerCase() : 'none'}`;

const link = (url: string) => {
  const href = safeHref(url);
  return href ? `<a href="${h(href)}" rel="noreferrer noopener">${h(href)}</a>` : h(url);
};

/** A fix with its code in <code>; every part escaped. */
const fixHtml = (text: string) =>
  codeSpans(truncate(text, 1000))
    .map((s) => (s.code ? `<code>${h(s.text)}</code>` : h(s.text)))
    .join('');

/** One line (severity, title, deadline) that opens to the evidence, the fix and the references. */
function findingHtml(f: Finding, causeFix?: string): string {
  const fix = f.remediation !== causeFix ? `<p>Fix: ${fixHtml(f.remediation)}</p>` : '';
  const refs = f.references.length ? `<p><small>${f.references.map(link).join(' · ')}</small></p>` : '';
  return `<details class="finding sev-${f.severity} cat-${h(f.category)}"><summary><span class="badge sev-${f.severity}">${severityLabel(f.severity)}</span> ${h(f.title)}${f.accepted ? ' <em>(accepted)</em>' : ''} <span class="deadline">· ${h(deadline(f))}</span></summary>
<div><p>Evidence: <span class="ev">${h(truncate(f.evidence, 500))}</span></p>
${fix}${refs}<p class="muted"><small>Check <code>${h(f.checkId)}</code> · outcome <code>${h(f.outcome)}</code></small></p></div></details>`;
}

function filters(report: Report): string {
  const severities = SEVERITY_ORDER.filter((s) => report.findings.some((f) => f.severity === s));
  const categories = [...new Set(report.findings.map((f) => f.category))];
  const box = (id: string, label: string) =>
    `<label><input type="checkbox" id="show-${h(id)}" checked> ${h(label)}</label>`;
  return `<div class="filters"><fieldset><legend class="muted">Severity</legend>${severities.map((s) => box(s, severityLabel(s))).join('')}</fieldset>
<fieldset><legend class="muted">Category</legend>${categories.map((c) => box(c, c)).join('')}</fieldset></div>`;
}

function prioritiesHtml(report: Report, view: PriorityView): string {
  const steps = view.fixFirst.length
    ? `<section class="card" aria-labelledby="fix-first"><h2 id="fix-first">Fix these first</h2><ol class="steps">
${view.fixFirst
  .map(
    (s) =>
      `<li><strong>${h(s.cause.title)}</strong>: grade <strong>${h(s.gradeAfter)}</strong> (score ${s.scoreAfter}) once fixed. <span class="muted">${h(causeFacts(s.cause))}.</span><br>${fixHtml(s.cause.fix)}</li>`,
  )
  .join('\n')}</ol></section>`
    : '';
  const causes = view.causes
    .map(
      ({ cause, findings }) =>
        `<section class="cause"><h3>${h(cause.title)}</h3><p class="muted">${h(causeFacts(cause))}</p><p>Fix: ${fixHtml(cause.fix)}</p>
${findings.map((f) => findingHtml(f, cause.fix)).join('\n')}</section>`,
    )
    .join('\n');
  const accepted = view.accepted.length
    ? `<section class="cause"><h3>Accepted risks (${view.accepted.length})</h3>${view.accepted.map((f) => findingHtml(f)).join('\n')}</section>`
    : '';
  const body = report.findings.length ? `${filters(report)}\n${causes}\n${accepted}` : '<p>No findings.</p>';
  return `${steps}\n<h2>Findings by root cause (${report.findings.length})</h2>\n${body}`;
}

function summaryHtml(report: Report): string {
  const strip = headerStrip(report);
  const stripHtml = strip
    ? `<ul class="strip" aria-label="Security headers">${strip.map((x) => `<li class="${x.present ? 'present' : 'missing'}">${x.present ? '✓' : '✗'} ${h(x.label)}<span class="muted"> ${x.present ? 'present' : 'missing'}</span></li>`).join('')}</ul>`
    : '';
  const categories = report.categories
    .map(
      (c) =>
        `<li class="card"><strong>${h(c.category)}</strong><span class="${gradeClass(c.grade)}"><span class="grade-letter">${h(c.grade)}</span></span><span class="muted">${c.score}/100</span></li>`,
    )
    .join('');
  const cap = capNote(report);
  return [
    report.error
      ? `<p class="card alert"><strong>Scan failed:</strong> ${h(report.error.message)} (${h(report.error.code)})</p>`
      : '',
    `<div class="summary card"><div class="${gradeClass(report.grade ?? '')}" role="img" aria-label="Grade ${h(report.grade ?? '')}, score ${report.score}"><span class="grade-letter">${h(report.grade ?? '')}</span><span class="grade-score">${report.score}/100</span></div>
<div><p>Observatory-compatible headers grade <strong>${h(report.headersGrade ?? '')}</strong> (${report.headersScore}) · ${h(statusCounts(report))}</p>${stripHtml}</div></div>`,
    cap ? `<p class="card alert">${h(cap)}</p>` : '',
    `<ul class="categories">${categories}</ul>`,
  ]
    .filter(Boolean)
    .join('\n');
}

function rawHeaders(report: Report): string {
  const headers = report.responseHeaders;
  if (!headers) return '';
  const text = Object.entries(headers)
    .flatMap(([name, values]) => values.map((v) => `${name}: ${v}`))
    .join('\n');
  return `<details><summary>Raw response headers</summary><pre class="headers">${h(text)}</pre></details>`;
}

/**
 * One self-contained, printable HTML file styled like the app. No scripts, no external resources; its
 * CSP (default-src 'none', the stylesheet by hash) means even a missed escape could not load or run anything.
 */
export function renderHtml(report: Report): string {
  const unGraded = notGradedReason(report);
  const view = priorityView(report);
  const host = (() => {
    try {
      return new URL(report.target).host;
    } catch {
      return report.target;
    }
  })();
  const main =
    unGraded !== undefined || !view
      ? `<section class="card alert" role="alert"><h2>Not graded</h2><p>${h(unGraded ?? '')}</p><p>${h(NOT_GRADED_ADVICE)}</p><p class="muted">${h(statusCounts(report))}: no check ran, so there are no findings to report.</p></section>`
      : `${summaryHtml(report)}\n${prioritiesHtml(report, view)}`;
  const checks = report.checks
    .map(
      (c) =>
        `<tr><td><code>${h(c.id)}</code></td><td>${h(c.status)}</td><td>${c.scoreModifier}</td><td class="ev">${h(truncate(c.evidence, 300))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${REPORT_STYLE_HASH}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${h(host)} · VIOscan report</title>
<style>${REPORT_STYLE}</style></head><body>
<header><h1>${h(host)}</h1><p class="muted">VIOscan report for ${h(report.target)}${report.finalUrl && report.finalUrl !== report.target ? ` → ${h(report.finalUrl)}` : ''}</p></header>
<main>
${main}
${privacyHtml(report)}
${rawHeaders(report)}
<details><summary>All checks (${report.checks.length})</summary>
<table><thead><tr><th>Check</th><th>Status</th><th>Modifier</th><th>Evidence</th></tr></thead><tbody>
${checks}
</tbody></table></details>
</main>
<footer><p class="muted"><small>Scoring version ${report.scoringVersion} · ${h(report.startedAt)} → ${h(report.finishedAt)}</small></p></footer>
</body></html>
`;
}
