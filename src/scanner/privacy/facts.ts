/**
 * Facts derived from the browser artefact that the privacy checks and the report's privacy summary
 * share (as Lighthouse's computed artifacts): which visit is which, what counts as a tracker and a
 * tracking cookie, what the site still did after the visitor rejected. Pure functions of artefacts,
 * so a check and the summary can never disagree.
 */
import type {
  BrowserArtefact,
  BrowserCookie,
  BrowserRequest,
  RequestClassification,
  TrackerPurpose,
  VisitArtefact,
  VisitKind,
} from '../browser/types.ts';

/** How findings and the report name each visit. */
export const VISIT_LABEL: Record<VisitKind, string> = {
  none: 'before consent',
  reject: 'after you rejected',
  gpc: 'with GPC',
};

/**
 * Owner-map purposes that make a third party a tracker by themselves. Tag managers, CDNs, consent
 * tools and chat widgets are third parties but not trackers unless a tracker list says otherwise.
 */
export const TRACKING_PURPOSES: ReadonlySet<TrackerPurpose> = new Set<TrackerPurpose>([
  'advertising',
  'analytics',
  'social',
  'session-replay',
  'fingerprinting',
]);

export function findVisit(b: BrowserArtefact, kind: VisitKind): VisitArtefact | undefined {
  return b.visits.find((v) => v.kind === kind);
}

/** A tracker: a third party that EasyPrivacy/EasyList lists, or that the owner map gives a tracking purpose. */
export function isTracker(c: RequestClassification | undefined): boolean {
  if (!c || c.party !== 'third') return false;
  return c.tracker !== undefined || (c.owner !== undefined && TRACKING_PURPOSES.has(c.owner.purpose));
}

/** Who is behind a domain, for people: the owner map's company, else the domain itself. */
export function ownerOf(c: RequestClassification): { company: string; purpose: TrackerPurpose | 'unknown' } {
  return c.owner
    ? { company: c.owner.company, purpose: c.owner.purpose }
    : { company: c.domain, purpose: 'unknown' };
}

/** `Google Analytics (Google, analytics)`, `Google (analytics)`, or `tracker.example (on EasyPrivacy)` when only a list knows it. */
export function describeOwner(c: RequestClassification): string {
  if (c.owner?.product) return `${c.owner.product} (${c.owner.company}, ${c.owner.purpose})`;
  if (c.owner) return `${c.owner.company} (${c.owner.purpose})`;
  return c.tracker
    ? `${c.domain} (on ${c.tracker.list === 'easyprivacy' ? 'EasyPrivacy' : 'EasyList'})`
    : c.domain;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url.slice(0, 100);
  }
}

/** The classification of the request that fetched `url` in this visit (a script or a response). */
function classificationIndex(visit: VisitArtefact): Map<string, RequestClassification> {
  const index = new Map<string, RequestClassification>();
  for (const r of visit.requests) if (!index.has(r.url)) index.set(r.url, r.classification);
  return index;
}

export interface TrackingCookie {
  cookie: BrowserCookie;
  /** The tracker the cookie belongs to: its own domain, or the script/response that set it. */
  tracker: RequestClassification;
  /** The script or response that set it, when known. */
  setBy?: string;
}

/**
 * Tracking cookies of a visit: those on a tracker's domain, and first-party cookies a tracker's
 * script or response set (Google Analytics' `_ga` is set on the site's own domain by gtag.js).
 */
export function trackingCookies(visit: VisitArtefact): TrackingCookie[] {
  const index = classificationIndex(visit);
  const out: TrackingCookie[] = [];
  for (const cookie of visit.cookies) {
    const setBy = cookie.setBy.url;
    if (isTracker(cookie.classification)) {
      out.push({ cookie, tracker: cookie.classification, ...(setBy && { setBy }) });
      continue;
    }
    const setter = setBy ? index.get(setBy) : undefined;
    if (setBy && setter && isTracker(setter)) out.push({ cookie, tracker: setter, setBy });
  }
  return out;
}

export interface TrackerContact {
  /** Registrable domain of the tracker. */
  domain: string;
  classification: RequestClassification;
  count: number;
  first: BrowserRequest;
  /** Distinct scripts that made the requests (the page itself when none is known). */
  initiators: string[];
}

/** Tracker requests grouped by registrable domain, in the order they were first seen. */
export function trackerContacts(requests: readonly BrowserRequest[]): TrackerContact[] {
  const byDomain = new Map<string, TrackerContact>();
  for (const r of requests) {
    if (!isTracker(r.classification)) continue;
    const domain = r.classification.domain;
    const seen = byDomain.get(domain);
    if (seen) {
      seen.count += 1;
      if (r.initiator && !seen.initiators.includes(r.initiator) && seen.initiators.length < 5)
        seen.initiators.push(r.initiator);
    } else {
      byDomain.set(domain, {
        domain,
        classification: r.classification,
        count: 1,
        first: r,
        initiators: r.initiator ? [r.initiator] : [],
      });
    }
  }
  return [...byDomain.values()];
}

/** Whole days from the visit to the cookie's expiry; null for a session cookie. */
export function lifetimeDays(cookie: BrowserCookie, visitStartedAt: string): number | null {
  if (cookie.session || !cookie.expires) return null;
  const ms = Date.parse(cookie.expires) - Date.parse(visitStartedAt);
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms / 86_400_000)) : null;
}

export function describeLifetime(days: number | null): string {
  if (days === null) return 'session';
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** A visit that did not complete leaves a partial record: a pass drawn from it would be a false pass. */
export function isPartial(visit: VisitArtefact): boolean {
  return visit.error !== undefined;
}

export interface RejectionVerdict {
  result: 'honoured' | 'ignored' | 'trackers-contacted' | 'failed' | 'no-banner';
  /** Tracking cookies left in the jar after the rejection, set before or after it. */
  cookies: TrackingCookie[];
  /** Trackers contacted after the reload that followed the rejection. */
  trackers: TrackerContact[];
  /** The reload time is known, so requests could be attributed to the time after the rejection. */
  timed: boolean;
}

/**
 * What the site did after the visitor rejected. autoconsent's "rejected" is a claim (the page can
 * forge it): the verdict rests on the requests after the reload and the cookies left in the jar.
 */
export function rejectionVerdict(visit: VisitArtefact): RejectionVerdict {
  const consent = visit.consent;
  const empty = { cookies: [], trackers: [], timed: false };
  // A CMP without a visible popup, never rejected, left nothing to reject.
  if (!consent?.rejected) return { result: consent?.popupFound ? 'failed' : 'no-banner', ...empty };
  const at = consent.reloadedAtMs;
  const timed = at !== undefined;
  const trackers = timed ? trackerContacts(visit.requests.filter((r) => r.atMs >= at)) : [];
  const cookies = trackingCookies(visit);
  const result = cookies.length > 0 ? 'ignored' : trackers.length > 0 ? 'trackers-contacted' : 'honoured';
  return { result, cookies, trackers, timed };
}

/** When a tracking cookie of the reject visit was set, relative to the rejection, in words. */
export function whenAfterRejection(cookie: BrowserCookie, visit: VisitArtefact): string {
  const at = visit.consent?.reloadedAtMs;
  if (at === undefined || cookie.setAtMs === undefined) return 'still present after you rejected';
  return cookie.setAtMs >= at
    ? 'set after you rejected'
    : 'set before you rejected and still present after it';
}

export interface GpcVerdict {
  honoured: boolean;
  cookies: TrackingCookie[];
  trackers: TrackerContact[];
  /** The site's /.well-known/gpc.json says `"gpc": true`. */
  claimsSupport: boolean;
}

/** GPC is on from the first request of the visit, so everything the visit recorded counts. */
export function gpcVerdict(visit: VisitArtefact): GpcVerdict {
  const cookies = trackingCookies(visit);
  const trackers = trackerContacts(visit.requests);
  return {
    honoured: cookies.length === 0 && trackers.length === 0,
    cookies,
    trackers,
    claimsSupport: visit.gpc?.wellKnown?.gpc === true,
  };
}

export interface Responsible {
  /** The script to remove or gate, or the element's URL when the page's HTML embeds it directly. */
  url: string;
  kind: 'script' | 'element';
}

/** What to remove or gate behind consent for this request: the script that made it, or the tag itself. */
export function responsibleFor(r: BrowserRequest, visit: VisitArtefact): Responsible {
  if (r.type === 'script') return { url: r.url, kind: 'script' };
  const page = new Set([visit.url, visit.finalUrl]);
  if (r.initiator && !page.has(r.initiator)) return { url: r.initiator, kind: 'script' };
  return { url: r.url, kind: 'element' };
}

/** What set a tracking cookie, as something to remove or gate: its script, or what loaded the response. */
export function responsibleForCookie(t: TrackingCookie, visit: VisitArtefact): Responsible | undefined {
  const { setBy } = t;
  if (setBy && t.cookie.setBy.via === 'js') return { url: setBy, kind: 'script' };
  const request = setBy
    ? visit.requests.find((r) => r.url === setBy)
    : visit.requests.find((r) => r.classification.domain === t.tracker.domain);
  if (request) return responsibleFor(request, visit);
  return setBy ? { url: setBy, kind: 'element' } : undefined;
}

/** `script "https://…"`, `response "https://…"`, or how it was set when the URL is not known. */
export function describeSetter(cookie: BrowserCookie): string {
  const how = cookie.setBy.via === 'js' ? 'script' : 'response';
  return cookie.setBy.url ? `${how} ${JSON.stringify(cookie.setBy.url.slice(0, 200))}` : `an unknown ${how}`;
}

/** One line of cookie evidence: name, domain, lifetime, party and who set it (hostile text JSON-quoted). */
export function describeCookie(cookie: BrowserCookie, visit: VisitArtefact): string {
  const days = lifetimeDays(cookie, visit.startedAt);
  return (
    `cookie ${JSON.stringify(cookie.name.slice(0, 80))} on ${cookie.domain}, ${describeLifetime(days)}, ` +
    `${cookie.classification.party}-party, set by ${describeSetter(cookie)}`
  );
}

/** One line of tracker evidence: how many requests, the first one, who made it, the list rule that matched. */
export function describeContact(c: TrackerContact, visit: VisitArtefact): string {
  const page = new Set([visit.url, visit.finalUrl]);
  const initiator = c.first.initiator;
  const by =
    initiator && !page.has(initiator)
      ? `script ${JSON.stringify(initiator.slice(0, 200))}`
      : 'the page’s HTML';
  const rule = c.classification.tracker
    ? `; list rule ${JSON.stringify(c.classification.tracker.filter.slice(0, 100))}`
    : '';
  return `${c.count} request(s) to ${c.domain}, first ${JSON.stringify(c.first.url.slice(0, 200))} (${c.first.type}) by ${by}${rule}`;
}

/** The same thing seen in several visits, once, with the visits it was seen in (in visit order). */
export function acrossVisits<T>(
  visits: readonly VisitArtefact[],
  items: (v: VisitArtefact) => readonly T[],
  key: (item: T) => string,
): { item: T; visits: VisitKind[] }[] {
  const seen = new Map<string, { item: T; visits: VisitKind[] }>();
  for (const v of visits) {
    for (const item of items(v)) {
      const k = key(item);
      const entry = seen.get(k);
      if (!entry) seen.set(k, { item, visits: [v.kind] });
      else if (!entry.visits.includes(v.kind)) entry.visits.push(v.kind);
    }
  }
  return [...seen.values()];
}
