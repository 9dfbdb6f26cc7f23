/**
 * The HTML report's stylesheet: the web app's look (grade badge, category cards, severity colours from
 * severity-style.ts), light and dark by prefers-color-scheme, printable. One <style> element allowed by
 * its hash, so the page works under a CSP without 'unsafe-inline'.
 */
import { createHash } from 'node:crypto';
import { CATEGORIES } from '../grade/grade.ts';
import { SEVERITY_ORDER } from '../severity.ts';
import { SEVERITY_STYLE } from './severity-style.ts';

const vars = (mode: 'light' | 'dark') =>
  SEVERITY_ORDER.map((s) => `--sev-${s}:${SEVERITY_STYLE[s][mode]}`).join(';');

const severityRules = SEVERITY_ORDER.map(
  (s) =>
    `.sev-${s}{color:var(--sev-${s})}.finding.sev-${s}{border-left-color:var(--sev-${s})}` +
    `.badge.sev-${s}{border-color:var(--sev-${s})}`,
).join('\n');

// Filters without script: an unchecked box hides the findings of its severity or category.
const filterRules = [
  ...SEVERITY_ORDER.map((s) => `body:has(#show-${s}:not(:checked)) .finding.sev-${s}`),
  ...CATEGORIES.map((c) => `body:has(#show-${c}:not(:checked)) .finding.cat-${c}`),
].join(',\n');

// A root-cause group shows while one of its findings does. :has() cannot nest, so a group cannot ask
// whether a finding is hidden; instead, once any box is unchecked every group hides, and each pair of
// ticked severity and category shows the groups holding a finding of that pair (the id selectors
// outweigh the hiding rule). Untouched filters, or a browser without :has(), show every group.
const causeRules = `body:has(.filters input:not(:checked)) .cause:has(>.finding){display:none}
${SEVERITY_ORDER.flatMap((s) =>
  CATEGORIES.map(
    (c) => `body:has(#show-${s}:checked):has(#show-${c}:checked) .cause:has(>.finding.sev-${s}.cat-${c})`,
  ),
).join(',\n')}{display:block}`;

export const REPORT_STYLE = `
:root{color-scheme:light dark;--bg:#f7f8fa;--surface:#fff;--surface-2:#eef1f5;--text:#111827;--muted:#4b5563;--border:#d5dae1;--ok:#15803d;--bad:#b91c1c;${vars('light')}}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--surface:#171d24;--surface-2:#212933;--text:#e8ecf1;--muted:#aab4c0;--border:#343e4a;--ok:#4ade80;--bad:#f87171;${vars('dark')}}}
*{box-sizing:border-box}
body{font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:62rem;padding:1.5rem 1rem;background:var(--bg);color:var(--text)}
a{color:inherit}
h1{font-size:1.5rem;overflow-wrap:anywhere;margin:0}
h2{margin-top:2rem}
.card{background:var(--surface);border:1px solid var(--border);border-radius:10px;padding:1rem}
.summary{display:flex;gap:1.25rem;align-items:center;flex-wrap:wrap;margin:1rem 0}
.grade{display:inline-flex;flex-direction:column;align-items:center;min-width:4.5rem;padding:.5rem .75rem;border-radius:10px;color:#fff;font-weight:700}
.grade-letter{font-size:2rem;line-height:1}.grade-score{font-size:.8rem}
.grade-a{background:#166534}.grade-b{background:#3f6212}.grade-c{background:#854d0e}.grade-d{background:#9a3412}.grade-f{background:#991b1b}.grade-none{background:#374151}
.categories{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.75rem}
.categories li{display:flex;flex-direction:column;align-items:center;gap:.3rem}
.categories .grade{min-width:3rem;padding:.3rem .6rem}.categories .grade-letter{font-size:1.2rem}
.muted{color:var(--muted)}
.strip{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0}
.strip li{border:1px solid var(--border);border-radius:999px;padding:.1rem .6rem;font-size:.85rem}
.strip .present{color:var(--ok)}.strip .missing{color:var(--bad)}
.alert{border-left:5px solid var(--bad)}
.steps li{margin:.6rem 0}
.cause{margin:1rem 0}.cause h3{margin:0 0 .3rem}
.finding{border:1px solid var(--border);border-left:5px solid var(--sev-info);border-radius:6px;margin:.4rem 0;background:var(--surface)}
.finding summary{cursor:pointer;padding:.4rem .7rem;list-style-position:inside}
.finding>div{padding:0 .9rem .6rem}
.badge{display:inline-block;min-width:4.5rem;font-weight:700;font-size:.8rem;text-transform:uppercase}
.deadline{color:var(--muted);font-size:.85rem}
code,.ev{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem;overflow-wrap:anywhere}
code{background:var(--surface-2);border-radius:4px;padding:0 .25rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border:1px solid var(--border);padding:.3rem .5rem;text-align:left;vertical-align:top}
pre.headers{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--surface-2);padding:.6rem;border-radius:6px}
.filters{display:flex;flex-wrap:wrap;gap:.2rem 1rem;align-items:center}.filters fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem}
${severityRules}
${filterRules}{display:none}
${causeRules}
@media print{body{max-width:none;padding:0;background:#fff;color:#000}.card,.finding{break-inside:avoid}.filters{display:none}details::details-content{content-visibility:visible;display:block}}
`;

/** The CSP source for REPORT_STYLE (CSP Level 3 §8.4: the hash of the element's text). */
export const REPORT_STYLE_HASH = `'sha256-${createHash('sha256').update(REPORT_STYLE).digest('base64')}'`;
