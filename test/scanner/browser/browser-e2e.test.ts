/**
 * The browser stage end to end in real Chromium, through scan(): the tracking fixture (trackers
 * before consent, a rejection autoconsent performs and the site ignores, GPC ignored despite its
 * gpc.json, canvas, WebGL and audio fingerprinting, a key logger, a session recorder, the Facebook
 * pixel, a --header that reaches the target host only), the honest one (the same banner, the rejection
 * honoured) and the clean one (no privacy finding).
 * Then safety: the guarded proxy is the browser's only way out (loopback refused without
 * allowPrivate, cloud metadata refused with it, nothing bypasses the proxy). One browser (the
 * process pool) and one fixture server for the file.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeBrowserPool, gatherBrowser } from '../../../src/scanner/browser/index.ts';
import { scan } from '../../../src/scanner/index.ts';
import type { Artefacts, Report } from '../../../src/scanner/types.ts';
import { NAMES, startFixtureSites, type FixtureSites } from './fixture-sites.ts';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

let sites: FixtureSites;
beforeAll(async () => {
  sites = await startFixtureSites();
});
afterAll(async () => {
  await closeBrowserPool();
  await sites?.close();
});

const options = () => ({ allowPrivate: true, resolver: sites.resolver, ca: [sites.caPem] });

const outcomeOf = (report: Report, id: string) => report.checks.find((c) => c.id === id)?.outcome;
const findings = (report: Report, checkId: string) => report.findings.filter((f) => f.checkId === checkId);

const HEADER = { 'X-Vioscan-Fixture': 'only-for-the-target' };

describe('the tracking fixture', () => {
  let report: Report;
  let artefacts: Artefacts;
  beforeAll(async () => {
    ({ report, artefacts } = await scan(sites.trackingUrl, { ...options(), browser: true, headers: HEADER }));
  }, 180_000);

  it('reports tracking before consent, naming the trackers and the cookies', () => {
    expect(report.privacy?.error).toBeUndefined();
    expect(outcomeOf(report, 'pre-consent-tracking')).toBe('pre-consent-tracking-cookies');
    const text = JSON.stringify(findings(report, 'pre-consent-tracking'));
    expect(text).toContain('_ga');
    expect(text).toContain('google-analytics.com');
  });

  it('reports the rejection autoconsent made as ignored: the tags came back after the reload', () => {
    expect(outcomeOf(report, 'consent-rejection')).toBe('consent-rejection-ignored');
    const ignored = findings(report, 'consent-rejection');
    expect(ignored.some((f) => f.evidence.includes('Onetrust'))).toBe(true);
    expect(ignored.some((f) => f.title.includes('_ga') && f.title.includes('set after you rejected'))).toBe(
      true,
    );
  });

  it('reports GPC ignored although /.well-known/gpc.json claims support, and the browser did send it', () => {
    expect(outcomeOf(report, 'gpc')).toBe('gpc-ignored-despite-claim');
    const gpcHits = sites.requests.filter((r) => r.host === NAMES.tracking && r.gpc === '1');
    expect(gpcHits.length).toBeGreaterThan(0);
  });

  it('reports the canvas fingerprinter by its script and the Facebook pixel', () => {
    expect(outcomeOf(report, 'fingerprinting')).toBe('fingerprinting-third-party');
    expect(JSON.stringify(findings(report, 'fingerprinting'))).toContain(`${NAMES.fp}`);
    expect(outcomeOf(report, 'advertising-pixels')).toBe('advertising-pixels-sent');
  });

  it('reports WebGL and audio fingerprinting by the same script', () => {
    const text = JSON.stringify(findings(report, 'fingerprinting'));
    expect(text).toContain('UNMASKED_VENDOR_WEBGL');
    expect(text).toContain('OfflineAudioContext');
  });

  it('reports the key logger: the typed e-mail canary beaconed to its host before any submit', () => {
    expect(outcomeOf(report, 'key-logging')).toBe('key-logging-third-party');
    const leak = findings(report, 'key-logging').find((f) => f.title.includes(NAMES.keys));
    expect(leak?.title).toMatch(/e-?mail/i);
    expect(leak?.evidence).toContain(`${NAMES.keys}:${sites.port}/keys.js`);
    expect(leak?.evidence).toContain('Tamsin.Qorvel.7c3f@example.com');
    expect(sites.requests.some((r) => r.host === NAMES.tracking && r.path.startsWith('/subscribe'))).toBe(
      false,
    );
  });

  it('reports the session recorder by its behaviour, naming its script', () => {
    expect(outcomeOf(report, 'session-replay')).toBe('session-replay-found');
    const text = JSON.stringify(findings(report, 'session-replay'));
    expect(text).toContain(`${NAMES.replay}:${sites.port}/recorder.js`);
    expect(text).toContain('observed every DOM mutation');
  });

  it('sends --header to the target host only: the browser requests to third parties never carry it', () => {
    const name = Object.keys(HEADER)[0]!.toLowerCase();
    const target = sites.requests.filter((r) => r.host === NAMES.tracking);
    expect(
      target.some((r) => r.path === '/consent.js' && r.headers[name] === HEADER['X-Vioscan-Fixture']),
    ).toBe(true);
    const third = sites.requests.filter((r) => r.host !== NAMES.tracking);
    expect(third.map((r) => r.host)).toContain(NAMES.ga);
    expect(third.filter((r) => name in r.headers)).toEqual([]);
  });

  it('reports the third-party cookie Chromium kept (third-party cookies allowed, as in Chrome)', () => {
    expect(JSON.stringify(report)).toContain('fr');
    expect(outcomeOf(report, 'third-party-cookies')).toMatch(/^third-party-cookies-(long-lived|set)$/);
  });

  it('reports the third-party cookie Chromium refused (no SameSite=None) from the response, with the reason', () => {
    const none = artefacts.browser?.visits.find((v) => v.kind === 'none');
    const fr = none?.cookies.find((c) => c.name === 'fr');
    expect(fr).toBeDefined();
    expect(fr?.blockedReasons).toBeUndefined();
    const datr = none?.cookies.find((c) => c.name === 'datr');
    expect(datr).toMatchObject({
      domain: '.facebook.com',
      secure: true,
      httpOnly: true,
      setBy: { via: 'http', url: expect.stringContaining(`${NAMES.fbPixel}:${sites.port}/tr/`) },
      blockedReasons: [expect.stringMatching(/SameSiteUnspecifiedTreatedAsLax$/)],
    });
    expect(datr?.sameSite).toBeUndefined();
    const listed = report.privacy?.cookies.find((c) => c.name === 'datr' && c.visit === 'none');
    expect(listed?.blockedReasons).toEqual(datr?.blockedReasons);
    // The finding's evidence (capped in length) says so after the cookie.
    const finding = findings(report, 'third-party-cookies').find((f) => f.evidence.includes('"datr"'));
    expect(finding?.evidence).toMatch(/"datr"[^;]*\(Chromium refused to store it: /);
  });
});

describe('the clean fixture', () => {
  it('passes every privacy check and the accessibility check', async () => {
    const { report, artefacts } = await scan(sites.cleanUrl, { ...options(), browser: true });
    expect(artefacts.browser?.error).toBeUndefined();
    expect(artefacts.browser?.visits.map((v) => [v.kind, v.error])).toEqual([
      ['none', undefined],
      ['reject', undefined],
      ['gpc', undefined],
    ]);
    expect(report.findings.filter((f) => f.category === 'privacy')).toEqual([]);
    expect(outcomeOf(report, 'consent-rejection')).toBe('consent-rejection-no-banner');
    expect(outcomeOf(report, 'pre-consent-tracking')).toBe('pre-consent-tracking-none');
    expect(outcomeOf(report, 'gpc')).toBe('gpc-honoured');
    expect(outcomeOf(report, 'accessibility')).toBe('accessibility-no-violations');
    expect(artefacts.browser?.accessibility?.engine).toMatch(/^axe-core \d/);
  });
});

describe('the inaccessible fixture (the clean one above is its control)', () => {
  it('reports each axe violation with its rule id, impact, WCAG level and selector', async () => {
    const { report, artefacts } = await scan(`${sites.cleanUrl}inaccessible`, {
      ...options(),
      browser: { visits: ['none'] },
    });
    expect(artefacts.browser?.accessibility?.error).toBeUndefined();
    const rules = report.accessibility?.rules ?? [];
    const rule = (id: string) => rules.find((r) => r.id === id);
    expect(rule('image-alt')).toMatchObject({ impact: 'critical', level: 'A', selector: '#hero', nodes: 1 });
    expect(rule('label')).toMatchObject({ impact: 'critical', level: 'A', selector: '#coupon', nodes: 1 });
    expect(rule('html-has-lang')).toMatchObject({ impact: 'serious', level: 'A', selector: 'html' });
    expect(rule('color-contrast')).toMatchObject({ impact: 'serious', level: 'AA', selector: '#faint' });
    expect(report.accessibility?.byImpact.critical).toBe(2);

    expect(outcomeOf(report, 'accessibility')).toBe('accessibility-critical-violation');
    const imageAlt = findings(report, 'accessibility').find((f) => f.evidence.startsWith('"image-alt"'));
    expect(imageAlt).toMatchObject({ category: 'accessibility', severity: expect.any(String) });
    expect(imageAlt?.title).toMatch(/\(WCAG A 1\.1\.1, critical\)$/);
    expect(imageAlt?.evidence).toContain('"#hero"');
    // The page's own privacy is clean: accessibility findings never leak into the privacy category.
    expect(report.findings.filter((f) => f.category === 'privacy')).toEqual([]);
  });
});

describe('the honest fixture', () => {
  it('honours the rejection: autoconsent rejected, its self-test passed, no tracker after the reload', async () => {
    const { report, artefacts } = await scan(sites.honestUrl, { ...options(), browser: true });
    const reject = artefacts.browser?.visits.find((v) => v.kind === 'reject');
    expect(reject?.consent).toMatchObject({
      cmp: 'Onetrust',
      popupFound: true,
      rejected: true,
      selfTest: true,
    });
    expect(reject?.consent?.reloadedAtMs).toBeGreaterThan(0);
    expect(outcomeOf(report, 'consent-rejection')).toBe('consent-rejection-honoured');
    expect(outcomeOf(report, 'pre-consent-tracking')).toBe('pre-consent-tracking-none');
  });
});

describe('the browser cannot get around the guard', () => {
  it('refuses a loopback target without allowPrivate, by name and as a literal, and the site sees nothing', async () => {
    const before = sites.requests.length;
    const literal = `https://127.0.0.1:${sites.port}/`;
    for (const url of [sites.cleanUrl, literal]) {
      const artefact = await gatherBrowser(url, {
        resolver: sites.resolver,
        ca: [sites.caPem],
        visits: ['none'],
      });
      const [visit] = artefact.visits;
      expect(visit?.blocked[0]).toEqual({
        url: expect.stringContaining(':' + sites.port),
        reason: expect.stringMatching(/loopback/),
      });
      expect(visit?.error?.code).toBe('visit_failed');
    }
    // Had Chromium gone direct (its implicit loopback bypass), the server would have answered.
    expect(sites.requests.length).toBe(before);
  });

  it('never reaches cloud metadata, even with allowPrivate, nor localhost around the proxy; the page still loads', async () => {
    const artefact = await gatherBrowser(`${sites.cleanUrl}probe`, { ...options(), visits: ['none'] });
    const [visit] = artefact.visits;
    expect(visit?.error).toBeUndefined();
    expect(visit?.title).toBe('Probe done');
    expect(visit?.blocked).toEqual(
      expect.arrayContaining([
        { url: 'http://169.254.169.254/latest/meta-data/', reason: expect.stringMatching(/cloud metadata/) },
        { url: 'http://[fd00:ec2::254]/', reason: expect.stringMatching(/metadata/) },
        // localhost is no fixture name: the proxy's resolver refuses it, so it went through the proxy.
        {
          url: `http://localhost:${sites.port}/`,
          reason: expect.stringMatching(/could not resolve localhost/),
        },
      ]),
    );
    expect(sites.requests.some((r) => r.host === 'localhost')).toBe(false);
  });

  it('a visit that outlives its limit ends with a timeout and what it recorded; the browser serves the next one', async () => {
    const slow = await gatherBrowser(`${sites.cleanUrl}slow`, {
      ...options(),
      visits: ['none'],
      timeouts: { visitMs: 3000 },
    });
    expect(slow.error).toBeUndefined();
    expect(slow.visits[0]?.error?.code).toBe('timeout');
    expect(slow.visits[0]?.requests[0]?.url).toBe(`${sites.cleanUrl}slow`);
    const next = await gatherBrowser(sites.cleanUrl, { ...options(), visits: ['none'] });
    expect(next.visits[0]?.error).toBeUndefined();
    expect(next.visits[0]?.title).toBe('Clean shop');
  });
});
