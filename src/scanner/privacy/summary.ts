/**
 * The report's privacy and accessibility summaries, built from the browser artefact with the same
 * facts the checks use (facts.ts), so the sections and the findings never disagree. Capped: a page
 * with ten thousand requests still gives a report of bounded size.
 */
import type { AccessibilityArtefact, BrowserArtefact, VisitArtefact } from '../browser/types.ts';
import type {
  AccessibilitySummary,
  PrivacyConsent,
  PrivacyCookie,
  PrivacyFingerprint,
  PrivacyGpc,
  PrivacyKeyLogging,
  PrivacyReport,
  PrivacyStorage,
  PrivacyThirdParty,
  PrivacyVisitSummary,
} from '../types.ts';
import { IMPACTS, impactOf, wcagLevel } from './accessibility.ts';
import {
  acrossVisits,
  findVisit,
  gpcVerdict,
  isTracker,
  lifetimeDays,
  ownerOf,
  rejectionVerdict,
  trackingCookies,
  VISIT_LABEL,
} from './facts.ts';

export const MAX_THIRD_PARTIES = 100;
export const MAX_COOKIES_PER_VISIT = 100;
export const MAX_FINGERPRINTS = 25;
export const MAX_AXE_RULES = 50;
export const MAX_STORAGE = 50;
export const MAX_KEY_LOGGING = 25;
const MAX_TEXT = 300;

export const THIRD_PARTY_COOKIES_NOTE =
  'observed with third-party cookies allowed, as Chrome does by default; cookies Chromium refused to store are listed from the responses, with its reason';

const cap = (s: string, max = MAX_TEXT) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function visitSummary(v: VisitArtefact): PrivacyVisitSummary {
  return {
    kind: v.kind,
    label: VISIT_LABEL[v.kind],
    url: cap(v.url),
    ...(v.finalUrl && { finalUrl: cap(v.finalUrl) }),
    ...(v.title && { title: cap(v.title, 200) }),
    durationMs: v.durationMs,
    requests: v.requests.length + (v.requestsDropped ?? 0),
    thirdPartyRequests: v.requests.filter((r) => r.classification.party === 'third').length,
    trackerRequests: v.requests.filter((r) => isTracker(r.classification)).length,
    cookies: v.cookies.length,
    blocked: v.blocked.length,
    ...(v.error && { error: { code: cap(v.error.code, 60), message: cap(v.error.message) } }),
  };
}

/** Third parties grouped by company and purpose, with the requests each visit made to them. */
function thirdParties(visits: readonly VisitArtefact[]): PrivacyThirdParty[] {
  const groups = new Map<string, PrivacyThirdParty>();
  for (const v of visits) {
    for (const r of v.requests) {
      const c = r.classification;
      if (c.party !== 'third') continue;
      const { company, purpose } = ownerOf(c);
      const key = `${company}\n${purpose}`;
      let g = groups.get(key);
      if (!g) {
        if (groups.size >= MAX_THIRD_PARTIES) continue;
        g = { company: cap(company, 100), purpose, domains: [], tracker: false, requests: {} };
        groups.set(key, g);
      }
      if (!g.domains.includes(c.domain) && g.domains.length < 20) g.domains.push(cap(c.domain, 100));
      g.tracker ||= isTracker(c);
      g.requests[v.kind] = (g.requests[v.kind] ?? 0) + 1;
    }
  }
  // Trackers first, then by how much they were contacted.
  const total = (g: PrivacyThirdParty) => Object.values(g.requests).reduce((x, y) => x + y, 0);
  return [...groups.values()].sort((x, y) => Number(y.tracker) - Number(x.tracker) || total(y) - total(x));
}

function cookies(visits: readonly VisitArtefact[]): { list: PrivacyCookie[]; dropped: number } {
  const list: PrivacyCookie[] = [];
  let dropped = 0;
  for (const v of visits) {
    const tracking = new Set(trackingCookies(v).map((t) => t.cookie));
    v.cookies.forEach((c, i) => {
      if (i >= MAX_COOKIES_PER_VISIT) {
        dropped += 1;
        return;
      }
      list.push({
        visit: v.kind,
        name: cap(c.name, 100),
        domain: cap(c.domain, 100),
        party: c.classification.party,
        lifetimeDays: lifetimeDays(c, v.startedAt),
        via: c.setBy.via,
        ...(c.setBy.url && { setBy: cap(c.setBy.url) }),
        tracking: tracking.has(c),
        ...(c.blockedReasons?.length && {
          blockedReasons: c.blockedReasons.slice(0, 5).map((r) => cap(r, 60)),
        }),
      });
    });
  }
  return { list, dropped };
}

function fingerprints(visits: readonly VisitArtefact[]): PrivacyFingerprint[] {
  return acrossVisits(
    visits,
    (v) => v.fingerprinting,
    (fp) => `${fp.technique}\n${fp.script}`,
  )
    .slice(0, MAX_FINGERPRINTS)
    .map(({ item: fp, visits: kinds }) => ({
      technique: fp.technique,
      script: cap(fp.script),
      party: fp.party,
      evidence: cap(fp.evidence),
      visits: kinds,
    }));
}

function storage(visits: readonly VisitArtefact[]): PrivacyStorage[] {
  return acrossVisits(
    visits,
    (v) => v.storage,
    (w) => `${w.area}\n${w.origin}\n${w.key}`,
  )
    .slice(0, MAX_STORAGE)
    .map(({ item: w, visits: kinds }) => ({
      area: w.area,
      origin: cap(w.origin, 200),
      key: cap(w.key, 100),
      valuePreview: cap(w.valuePreview, 100),
      ...(w.script && { script: cap(w.script) }),
      party: w.party,
      visits: kinds,
    }));
}

function keyLogging(visits: readonly VisitArtefact[]): PrivacyKeyLogging[] {
  return acrossVisits(
    visits,
    (v) => v.keyLogging,
    (k) => `${k.field}\n${k.encoding}\n${k.where}\n${k.requestUrl}`,
  )
    .slice(0, MAX_KEY_LOGGING)
    .map(({ item: k, visits: kinds }) => ({
      field: k.field,
      encoding: k.encoding,
      where: k.where,
      requestUrl: cap(k.requestUrl),
      ...(k.initiator && { initiator: cap(k.initiator) }),
      party: k.party,
      evidence: cap(k.evidence),
      visits: kinds,
    }));
}

function consent(visit: VisitArtefact | undefined): PrivacyConsent {
  if (!visit)
    return { result: 'not-run', popupFound: false, rejected: false, stillLoaded: [], trackingCookies: [] };
  const c = visit.consent;
  const verdict = rejectionVerdict(visit);
  return {
    result: verdict.result,
    ...(c?.cmp && { cmp: cap(c.cmp, 100) }),
    popupFound: c?.popupFound ?? false,
    rejected: c?.rejected ?? false,
    ...(c?.selfTest !== undefined && { selfTest: c.selfTest }),
    stillLoaded: verdict.trackers.slice(0, MAX_THIRD_PARTIES).map((t) => ({
      domain: cap(t.domain, 100),
      ...ownerOfCapped(t.classification),
      requests: t.count,
      example: cap(t.first.url),
    })),
    trackingCookies: verdict.cookies
      .slice(0, MAX_COOKIES_PER_VISIT)
      .map((t) => ({ name: cap(t.cookie.name, 100), domain: cap(t.cookie.domain, 100) })),
  };
}

function ownerOfCapped(c: Parameters<typeof ownerOf>[0]) {
  const o = ownerOf(c);
  return { company: cap(o.company, 100), purpose: o.purpose };
}

function gpc(visit: VisitArtefact | undefined): PrivacyGpc | undefined {
  if (!visit) return undefined;
  const verdict = gpcVerdict(visit);
  const w = visit.gpc?.wellKnown;
  return {
    headerSent: visit.gpc?.headerSent ?? false,
    navigatorValue: visit.gpc?.navigatorValue ?? false,
    ...(w && {
      wellKnown: {
        ...(w.status !== undefined && { status: w.status }),
        ...(w.gpc !== undefined && { gpc: w.gpc }),
        ...(w.lastUpdate && { lastUpdate: cap(w.lastUpdate, 40) }),
        ...(w.error && { error: cap(w.error) }),
      },
    }),
    honoured: verdict.honoured,
    trackers: verdict.trackers.slice(0, MAX_THIRD_PARTIES).map((t) => cap(t.domain, 100)),
    trackingCookies: verdict.cookies
      .slice(0, MAX_COOKIES_PER_VISIT)
      .map((t) => ({ name: cap(t.cookie.name, 100), domain: cap(t.cookie.domain, 100) })),
  };
}

export function privacySummary(b: BrowserArtefact): PrivacyReport {
  const { list, dropped } = cookies(b.visits);
  const gpcSummary = gpc(findVisit(b, 'gpc'));
  return {
    browser: {
      product: cap(b.browser.product, 100),
      thirdPartyCookies: b.browser.thirdPartyCookies,
      note: THIRD_PARTY_COOKIES_NOTE,
    },
    lists: b.lists.map((l) => ({
      id: l.id,
      name: cap(l.name, 100),
      date: cap(l.date, 40),
      licence: cap(l.licence, 100),
    })),
    visits: b.visits.map(visitSummary),
    thirdParties: thirdParties(b.visits),
    cookies: list,
    ...(dropped > 0 && { cookiesDropped: dropped }),
    fingerprinting: fingerprints(b.visits),
    storage: storage(b.visits),
    keyLogging: keyLogging(b.visits),
    consent: consent(findVisit(b, 'reject')),
    ...(gpcSummary && { gpc: gpcSummary }),
    ...(b.error && { error: { code: cap(b.error.code, 60), message: cap(b.error.message) } }),
  };
}

export function accessibilitySummary(axe: AccessibilityArtefact): AccessibilitySummary {
  const byImpact = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  const byLevel = { A: 0, AA: 0, AAA: 0, 'best practice': 0 };
  const rules = axe.violations
    .map((v) => ({ v, impact: impactOf(v), level: wcagLevel(v.tags) }))
    .sort((x, y) => IMPACTS.indexOf(x.impact) - IMPACTS.indexOf(y.impact));
  for (const { impact, level } of rules) {
    byImpact[impact] += 1;
    byLevel[level] += 1;
  }
  return {
    engine: cap(axe.engine, 60),
    url: cap(axe.url),
    violations: axe.violations.length,
    byImpact,
    byLevel,
    rules: rules.slice(0, MAX_AXE_RULES).map(({ v, impact, level }) => ({
      id: cap(v.id, 60),
      impact,
      level,
      help: cap(v.help, 200),
      helpUrl: cap(v.helpUrl),
      nodes: v.nodes.length,
      ...(v.nodes[0] && { selector: cap(v.nodes[0].target, 200) }),
    })),
    ...(axe.error && { error: { code: cap(axe.error.code, 60), message: cap(axe.error.message) } }),
  };
}
