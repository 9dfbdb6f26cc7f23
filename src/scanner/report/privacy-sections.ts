/**
 * The report's privacy and accessibility sections as plain content (headings, sentences, tables),
 * shared by the text, Markdown and HTML renderers so they say the same thing. Nothing here is
 * escaped: every cell may hold hostile text from the scanned page, and each renderer escapes it.
 */
import type { VisitKind } from '../browser/types.ts';
import { VISIT_LABEL } from '../privacy/facts.ts';
import { privacyVerdict } from './privacy-verdict.ts';
import type { AccessibilitySummary, PrivacyConsent, PrivacyGpc, PrivacyReport, Report } from '../types.ts';

export interface Table {
  head: string[];
  rows: string[][];
}

export interface Section {
  title: string;
  paragraphs: string[];
  tables: { caption?: string; table: Table }[];
}

/** A cookie's lifetime in words. */
export const days = (d: number | null) => (d === null ? 'session' : `${d} day${d === 1 ? '' : 's'}`);
const KINDS: readonly VisitKind[] = ['none', 'reject', 'gpc'];

function visitTable(p: PrivacyReport): Table {
  const problems = p.visits.some((v) => v.error);
  return {
    head: [
      'Visit',
      'Page',
      'Requests',
      'Third-party',
      'To trackers',
      'Cookies',
      'Refused by VIOscan',
      ...(problems ? ['Problem'] : []),
    ],
    rows: p.visits.map((v) => [
      v.label,
      v.finalUrl ?? v.url,
      String(v.requests),
      String(v.thirdPartyRequests),
      String(v.trackerRequests),
      String(v.cookies),
      String(v.blocked),
      ...(problems ? [v.error ? `did not complete: ${v.error.message} (${v.error.code})` : ''] : []),
    ]),
  };
}

function overview(p: PrivacyReport): Section {
  const lists = p.lists.map((l) => `${l.name} (${l.date}, ${l.licence})`).join('; ');
  const paragraphs = [
    ...privacyVerdict(p),
    `Browser: ${p.browser.product}; ${p.browser.note}.`,
    lists ? `Tracker lists: ${lists}.` : 'Tracker lists: none loaded.',
  ];
  if (p.error) paragraphs.unshift(`The browser stage could not run: ${p.error.message} (${p.error.code}).`);
  return {
    title: 'Privacy: what a browser saw',
    paragraphs,
    tables: p.visits.length ? [{ table: visitTable(p) }] : [],
  };
}

function thirdParties(p: PrivacyReport): Section {
  return {
    title: 'Third parties',
    paragraphs: p.thirdParties.length ? [] : ['No third party was contacted.'],
    tables: p.thirdParties.length
      ? [
          {
            table: {
              head: ['Company', 'Purpose', 'Tracker', 'Domains', ...KINDS.map((k) => VISIT_LABEL[k])],
              rows: p.thirdParties.map((t) => [
                t.company,
                t.purpose,
                t.tracker ? 'yes' : 'no',
                t.domains.join(', '),
                ...KINDS.map((k) => String(t.requests[k] ?? 0)),
              ]),
            },
          },
        ]
      : [],
  };
}

function cookies(p: PrivacyReport): Section {
  const tables = KINDS.filter((k) => p.visits.some((v) => v.kind === k)).map((k) => {
    const list = p.cookies.filter((c) => c.visit === k);
    return {
      caption: `Cookies ${VISIT_LABEL[k]} (${list.length})`,
      table: {
        head: ['Name', 'Domain', 'Party', 'Lifetime', 'Set by', 'Tracking'],
        rows: list.map((c) => [
          c.name,
          c.domain,
          c.party,
          days(c.lifetimeDays),
          `${c.via === 'js' ? 'script' : 'response'}${c.setBy ? ` ${c.setBy}` : ''}`,
          (c.tracking ? 'yes' : 'no') +
            (c.blockedReasons ? ` (refused by Chromium: ${c.blockedReasons.join(', ')})` : ''),
        ]),
      },
    };
  });
  const paragraphs = p.cookiesDropped ? [`${p.cookiesDropped} more cookie(s) were seen but not listed.`] : [];
  return { title: 'Cookies', paragraphs, tables };
}

function fingerprinting(p: PrivacyReport): Section {
  return {
    title: 'Fingerprinting',
    paragraphs: p.fingerprinting.length ? [] : ['No fingerprinting was seen.'],
    tables: p.fingerprinting.length
      ? [
          {
            table: {
              head: ['Technique', 'Script', 'Party', 'Visits', 'Evidence'],
              rows: p.fingerprinting.map((f) => [
                f.technique,
                f.script,
                f.party,
                f.visits.map((k) => VISIT_LABEL[k]).join(', '),
                f.evidence,
              ]),
            },
          },
        ]
      : [],
  };
}

const CONSENT_RESULT: Record<PrivacyConsent['result'], string> = {
  honoured: 'the rejection was honoured: no tracker was contacted and no tracking cookie was left after it',
  ignored: 'tracking continued after you rejected: tracking cookies were left or set',
  'trackers-contacted': 'trackers were still contacted after you rejected',
  failed: 'a banner was shown, but "reject all" could not be chosen',
  'no-banner': 'no consent banner was found',
  'not-run': 'not tested (the reject visit was not made)',
};

export function consentParagraphs(c: PrivacyConsent): string[] {
  const out: string[] = [];
  if (c.result !== 'not-run') {
    const tool = c.cmp ? `consent tool ${c.cmp}` : 'no consent tool recognised';
    const popup = c.popupFound ? 'banner shown' : 'no banner shown';
    const selfTest =
      c.selfTest === undefined
        ? ''
        : `, its self-test ${c.selfTest ? 'confirmed it' : 'found consent still given'}`;
    out.push(`Found: ${tool}, ${popup}; "reject all" ${c.rejected ? 'chosen' : 'not chosen'}${selfTest}.`);
  }
  out.push(`Result: ${CONSENT_RESULT[c.result]}.`);
  if (c.trackingCookies.length)
    out.push(
      `Tracking cookies after you rejected: ${c.trackingCookies.map((k) => `${k.name} (${k.domain})`).join(', ')}.`,
    );
  return out;
}

export function gpcParagraphs(g: PrivacyGpc | undefined): string[] {
  if (!g) return ['Global Privacy Control: not tested (the GPC visit was not made).'];
  const signal = g.headerSent || g.navigatorValue ? 'sent' : 'not sent';
  const w = g.wellKnown;
  const claim = !w
    ? 'not checked'
    : w.gpc !== undefined
      ? `"gpc": ${String(w.gpc)}${w.lastUpdate ? ` (updated ${w.lastUpdate})` : ''}`
      : w.error
        ? `not read (${w.error})`
        : `absent (status ${w.status ?? 'none'})`;
  const out = [
    `Global Privacy Control: signal ${signal}; /.well-known/gpc.json ${claim}; ${g.honoured ? 'honoured' : 'ignored'}.`,
  ];
  if (g.trackers.length) out.push(`Trackers contacted with GPC on: ${g.trackers.join(', ')}.`);
  if (g.trackingCookies.length)
    out.push(
      `Tracking cookies with GPC on: ${g.trackingCookies.map((k) => `${k.name} (${k.domain})`).join(', ')}.`,
    );
  return out;
}

function consent(p: PrivacyReport): Section {
  const still = p.consent.stillLoaded;
  return {
    title: 'Consent',
    paragraphs: [...consentParagraphs(p.consent), ...gpcParagraphs(p.gpc)],
    tables: still.length
      ? [
          {
            caption: 'Still loaded after you rejected',
            table: {
              head: ['Domain', 'Company', 'Purpose', 'Requests', 'Example'],
              rows: still.map((s) => [s.domain, s.company, s.purpose, String(s.requests), s.example]),
            },
          },
        ]
      : [],
  };
}

export function accessibilitySection(a: AccessibilitySummary): Section {
  const impacts = Object.entries(a.byImpact)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const levels = Object.entries(a.byLevel)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k === 'best practice' ? 'best practice' : `WCAG ${k}`} ${n}`)
    .join(', ');
  const paragraphs = [
    a.violations === 0
      ? `${a.engine} on ${a.url}: no violation of the WCAG A and AA rules (automated tests find part of the problems only).`
      : `${a.engine} on ${a.url}: ${a.violations} rule(s) violated (${impacts}; ${levels}).`,
  ];
  if (a.error) paragraphs.push(`axe-core reported an error: ${a.error.message} (${a.error.code}).`);
  return {
    title: 'Accessibility',
    paragraphs,
    tables: a.rules.length
      ? [
          {
            table: {
              head: ['Rule', 'Impact', 'WCAG', 'Elements', 'First element', 'Help'],
              rows: a.rules.map((r) => [
                r.id,
                r.impact,
                r.level,
                String(r.nodes),
                r.selector ?? '',
                `${r.help} (${r.helpUrl})`,
              ]),
            },
          },
        ]
      : [],
  };
}

/** The sections in report order; none without the browser stage. */
export function privacySections(report: Report): Section[] {
  const p = report.privacy;
  const out: Section[] = [];
  if (p) {
    out.push(overview(p));
    if (!p.error) out.push(thirdParties(p), cookies(p), fingerprinting(p), consent(p));
  }
  if (report.accessibility) out.push(accessibilitySection(report.accessibility));
  return out;
}
