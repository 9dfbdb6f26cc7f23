import { describe, expect, it } from 'vitest';
import { preConsentTracking } from '../../../src/scanner/checks/pre-consent-tracking.ts';
import { NOW } from '../helpers/artefacts.ts';
import {
  addAnalytics,
  browser,
  cookie,
  DOUBLECLICK,
  GTM_SCRIPT,
  HOTJAR,
  inVisit,
  request,
  withBrowser,
} from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';
import { baseline } from '../helpers/artefacts.ts';

const hotjar = 'https://static.hotjar.com/c/hotjar-1.js';

describe('pre-consent-tracking', () => {
  checkTable(
    preConsentTracking,
    'pre-consent-tracking-none',
    [
      [
        'Google Analytics before consent (_ga set by gtag.js)',
        inVisit('none', (v) => addAnalytics(v)),
        'pre-consent-tracking-cookies',
        'fail',
      ],
      [
        'a third-party tracker cookie',
        inVisit('none', (v) =>
          v.cookies.push(cookie('IDE', DOUBLECLICK, { session: false, expires: '2026-06-01T00:00:00Z' })),
        ),
        'pre-consent-tracking-cookies',
        'fail',
      ],
      [
        'a tracker known only to the owner map, no cookie',
        inVisit('none', (v) =>
          v.requests.push(request(hotjar, HOTJAR, { initiator: 'https://example.test/' })),
        ),
        'pre-consent-tracking-requests',
        'fail',
      ],
      [
        'a first-party request a list matches is not a third-party tracker',
        inVisit('none', (v) =>
          v.requests.push(
            request('https://example.test/matomo.js', {
              domain: 'example.test',
              party: 'first',
              tracker: { list: 'easyprivacy', filter: '/matomo.js' },
            }),
          ),
        ),
        'pre-consent-tracking-none',
        'pass',
      ],
      [
        'a third-party CDN with no list rule is not a tracker',
        inVisit('none', (v) =>
          v.requests.push(
            request('https://cdn.jsdelivr.test/x.js', { domain: 'jsdelivr.test', party: 'third' }),
          ),
        ),
        'pre-consent-tracking-none',
        'pass',
      ],
      [
        'Google Analytics only after rejecting does not count here',
        inVisit('reject', (v) => addAnalytics(v, 1600)),
        'pre-consent-tracking-none',
        'pass',
      ],
      [
        'the visit timed out with nothing found',
        inVisit('none', (v) => (v.error = { code: 'timeout', message: 'visit took longer than 30 s' })),
        'pre-consent-tracking-incomplete',
        'error',
      ],
      [
        'the visit timed out, but a tracker was already seen',
        inVisit('none', (v) => {
          v.error = { code: 'timeout', message: 'visit took longer than 30 s' };
          addAnalytics(v);
        }),
        'pre-consent-tracking-cookies',
        'fail',
      ],
      [
        'one-visit scan without the none visit',
        browser((b) => (b.visits = b.visits.filter((v) => v.kind !== 'none'))),
        'pre-consent-tracking-not-observed',
        'skipped',
      ],
    ],
    withBrowser,
  );

  it('is skipped without the browser stage', () => {
    expect(preConsentTracking.run(baseline(), { now: NOW })).toMatchObject({ status: 'skipped' });
  });

  it('names the cookie, the visit, the script responsible and a concrete fix', () => {
    const r = preConsentTracking.run(
      inVisit('none', (v) => addAnalytics(v)),
      { now: NOW },
    );
    const ga = r.findings.find((f) => f.outcome === 'pre-consent-tracking-cookies');
    expect(ga?.title).toContain('"_ga"');
    expect(ga?.title).toContain('Google (tag-manager)');
    expect(ga?.evidence).toContain('before consent: cookie "_ga" on .example.test, 400 days, first-party');
    expect(ga?.evidence).toContain(`set by script ${JSON.stringify(GTM_SCRIPT)}`);
    expect(ga?.remediation).toContain(
      `the script ${JSON.stringify(GTM_SCRIPT)} (from www.googletagmanager.com)`,
    );
    const beacon = r.findings.find((f) => f.title.includes('google-analytics.com'));
    expect(beacon?.evidence).toContain('https://www.google-analytics.com/g/collect');
    expect(beacon?.evidence).toContain(`by script ${JSON.stringify(GTM_SCRIPT)}`);
    expect(beacon?.evidence).toContain('list rule "||google-analytics.com^"');
    // gtag.js itself is listed too: one finding per tracker domain, cookies first.
    expect(r.findings.map((f) => f.outcome)).toEqual([
      'pre-consent-tracking-cookies',
      'pre-consent-tracking-requests',
      'pre-consent-tracking-requests',
    ]);
  });

  it('names the product when the owner map knows it', () => {
    const r = preConsentTracking.run(
      inVisit('none', (v) =>
        v.requests.push(
          request('https://static.hotjar.com/c/hotjar-1.js', {
            ...HOTJAR,
            owner: { ...HOTJAR.owner!, product: 'Hotjar Observe' },
          }),
        ),
      ),
      { now: NOW },
    );
    expect(r.findings[0]?.title).toBe(
      'Tracker hotjar.com contacted before consent (Hotjar Observe (Hotjar, session-replay))',
    );
  });

  it('a tag in the page HTML is named as the element to remove', () => {
    const pixel = 'https://www.facebook.test/tr?id=1&ev=PageView';
    const r = preConsentTracking.run(
      inVisit('none', (v) =>
        v.requests.push(
          request(
            pixel,
            {
              domain: 'facebook.test',
              party: 'third',
              owner: { company: 'Meta', purpose: 'advertising', source: 'x' },
            },
            { type: 'image', initiator: 'https://example.test/' },
          ),
        ),
      ),
      { now: NOW },
    );
    expect(r.findings[0]?.remediation).toContain(
      `the element loading ${JSON.stringify(pixel)} from the page's HTML`,
    );
  });
});
