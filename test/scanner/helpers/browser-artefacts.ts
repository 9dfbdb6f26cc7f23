/**
 * Builders for browser-stage check tests: `browserBaseline()` is a site whose three visits pass every
 * privacy and accessibility check (a consent banner that honours "reject", GPC honoured and declared,
 * first-party cookies only, a CDN as the only third party); `withBrowser` puts it on the passing
 * baseline site; the tracker fixtures below are what rows add to make one check fail.
 */
import type {
  BrowserArtefact,
  BrowserCookie,
  BrowserRequest,
  RequestClassification,
  VisitArtefact,
  VisitKind,
} from '../../../src/scanner/browser/types.ts';
import type { Artefacts } from '../../../src/scanner/types.ts';
import { baseline, TARGET } from './artefacts.ts';

export const STARTED = '2025-06-01T00:00:00.000Z';
const DAY = 86_400_000;
export const inDays = (days: number) => new Date(Date.parse(STARTED) + days * DAY).toISOString();

export const FIRST: RequestClassification = { domain: 'example.test', party: 'first' };
export const CDN: RequestClassification = {
  domain: 'example.net',
  party: 'third',
  owner: { company: 'Example CDN', purpose: 'cdn', source: 'https://example.net/about' },
};
export const GTM_SCRIPT = 'https://www.googletagmanager.com/gtag/js?id=G-TEST1';
export const GTM: RequestClassification = {
  domain: 'googletagmanager.com',
  party: 'third',
  tracker: { list: 'easyprivacy', filter: '||googletagmanager.com/gtag/' },
  owner: {
    company: 'Google',
    purpose: 'tag-manager',
    source: 'https://policies.google.com/technologies/partner-sites',
  },
};
export const GA: RequestClassification = {
  domain: 'google-analytics.com',
  party: 'third',
  tracker: { list: 'easyprivacy', filter: '||google-analytics.com^' },
  owner: {
    company: 'Google',
    purpose: 'analytics',
    source: 'https://policies.google.com/technologies/partner-sites',
  },
};
/** Known to the owner map only (no list rule). */
export const HOTJAR: RequestClassification = {
  domain: 'hotjar.com',
  party: 'third',
  owner: {
    company: 'Hotjar',
    purpose: 'session-replay',
    source: 'https://www.hotjar.com/legal/policies/privacy/',
  },
};
export const DOUBLECLICK: RequestClassification = {
  domain: 'doubleclick.net',
  party: 'third',
  tracker: { list: 'easylist', filter: '||doubleclick.net^' },
  owner: {
    company: 'Google',
    purpose: 'advertising',
    source: 'https://policies.google.com/technologies/partner-sites',
  },
};

export function request(
  url: string,
  classification: RequestClassification,
  extra: Partial<BrowserRequest> = {},
): BrowserRequest {
  return { url, method: 'GET', type: 'script', status: 200, atMs: 100, classification, ...extra };
}

export function cookie(
  name: string,
  classification: RequestClassification,
  extra: Partial<BrowserCookie> = {},
): BrowserCookie {
  return {
    name,
    value: 'v',
    domain: classification.party === 'first' ? 'example.test' : `.${classification.domain}`,
    path: '/',
    session: true,
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    partitioned: false,
    setBy: { via: 'http', url: TARGET },
    classification,
    ...extra,
  };
}

/** The gtag.js script, its collect beacon and the `_ga` cookie it sets on the site's own domain. */
export function googleAnalytics(atMs = 300): { requests: BrowserRequest[]; cookies: BrowserCookie[] } {
  return {
    requests: [
      request(GTM_SCRIPT, GTM, { initiator: TARGET, atMs }),
      request('https://www.google-analytics.com/g/collect?v=2&tid=G-TEST1&en=page_view', GA, {
        type: 'ping',
        method: 'POST',
        initiator: GTM_SCRIPT,
        atMs: atMs + 50,
      }),
    ],
    cookies: [
      cookie('_ga', FIRST, {
        domain: '.example.test',
        session: false,
        expires: inDays(400),
        httpOnly: false,
        setBy: { via: 'js', url: GTM_SCRIPT },
        setAtMs: atMs + 20,
      }),
    ],
  };
}

function cleanVisit(kind: VisitKind): VisitArtefact {
  return {
    kind,
    url: TARGET,
    finalUrl: TARGET,
    title: 'Example',
    startedAt: STARTED,
    durationMs: 2000,
    requests: [
      request(TARGET, FIRST, { type: 'document', atMs: 0 }),
      request('https://example.test/app.js', FIRST, { initiator: TARGET, atMs: 50 }),
      request('https://static.example.net/lib.js', CDN, { initiator: TARGET, atMs: 60 }),
    ],
    cookies: [cookie('__Host-sid', FIRST)],
    storage: [
      {
        area: 'localStorage',
        origin: 'https://example.test',
        key: 'theme',
        valuePreview: 'dark',
        party: 'first',
      },
    ],
    fingerprinting: [],
    sessionReplay: [],
    keyLogging: [],
    pixels: [],
    canariesTyped: true,
    blocked: [],
  };
}

export function browserBaseline(): BrowserArtefact {
  const none = cleanVisit('none');
  const reject = cleanVisit('reject');
  reject.consent = {
    cmp: 'Onetrust',
    popupFound: true,
    rejected: true,
    selfTest: true,
    clicks: 1,
    durationMs: 1200,
    reloadedAtMs: 1500,
  };
  const gpc = cleanVisit('gpc');
  gpc.gpc = {
    headerSent: true,
    navigatorValue: true,
    wellKnown: { status: 200, gpc: true, lastUpdate: '2025-01-01' },
  };
  return {
    browser: {
      product: 'Chromium 156.0.8078.129',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      thirdPartyCookies: 'allowed',
    },
    lists: [
      {
        id: 'easyprivacy',
        name: 'EasyPrivacy',
        date: '2025-05-20',
        licence: 'GPL-3.0-or-later OR CC-BY-SA-3.0',
      },
      { id: 'easylist', name: 'EasyList', date: '2025-05-20', licence: 'GPL-3.0-or-later OR CC-BY-SA-3.0' },
      { id: 'owners', name: 'VIOscan owner map', date: '2025-05-25', licence: 'VIOscan' },
    ],
    visits: [none, reject, gpc],
    accessibility: { engine: 'axe-core 4.14.1', url: TARGET, violations: [] },
  };
}

/** The passing baseline site with a browser artefact (default: the clean one). */
export function withBrowser(b: BrowserArtefact = browserBaseline()): Artefacts {
  return { ...baseline(), browser: b };
}

export function visitOf(b: BrowserArtefact, kind: VisitKind): VisitArtefact {
  const v = b.visits.find((x) => x.kind === kind);
  if (!v) throw new Error(`no ${kind} visit`);
  return v;
}

/** Artefacts whose browser baseline is changed by `mutate`. */
export function browser(mutate: (b: BrowserArtefact) => void): Artefacts {
  const b = browserBaseline();
  mutate(b);
  return withBrowser(b);
}

/** Artefacts whose `kind` visit is changed by `mutate`. */
export function inVisit(kind: VisitKind, mutate: (v: VisitArtefact) => void): Artefacts {
  return browser((b) => mutate(visitOf(b, kind)));
}

/** Adds Google Analytics (script, beacon, `_ga`) to a visit. */
export function addAnalytics(v: VisitArtefact, atMs = 300): void {
  const ga = googleAnalytics(atMs);
  v.requests.push(...ga.requests);
  v.cookies.push(...ga.cookies);
}
