import { describe, expect, it } from 'vitest';
import { consentBanner } from '../../../src/scanner/checks/consent-banner.ts';
import { NOW } from '../helpers/artefacts.ts';
import {
  addAnalytics,
  browser,
  HOTJAR,
  inVisit,
  request,
  visitOf,
  withBrowser,
} from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const noBanner = (b: Parameters<Parameters<typeof browser>[0]>[0]) =>
  (visitOf(b, 'reject').consent = { popupFound: false, rejected: false });

describe('consent-banner', () => {
  checkTable(
    consentBanner,
    'consent-banner-found',
    [
      [
        'tracking cookies and no banner',
        browser((b) => {
          noBanner(b);
          addAnalytics(visitOf(b, 'none'));
        }),
        'consent-banner-missing',
        'fail',
      ],
      ['no banner, no tracking cookie', browser(noBanner), 'consent-banner-not-needed', 'pass'],
      [
        'no banner, a cookieless tracker only',
        browser((b) => {
          noBanner(b);
          visitOf(b, 'none').requests.push(request('https://static.hotjar.com/c/hotjar-1.js', HOTJAR));
        }),
        'consent-banner-not-needed',
        'pass',
      ],
      [
        'tracking cookies, and a banner (tracking before consent is another check)',
        inVisit('none', (v) => addAnalytics(v)),
        'consent-banner-found',
        'pass',
      ],
      [
        'a consent tool detected without a visible popup counts as a banner',
        browser((b) => {
          visitOf(b, 'reject').consent = { cmp: 'Cookiebot', popupFound: false, rejected: false };
          addAnalytics(visitOf(b, 'none'));
        }),
        'consent-banner-found',
        'pass',
      ],
      [
        'the reject visit failed and found no banner',
        browser((b) => {
          noBanner(b);
          visitOf(b, 'reject').error = { code: 'timeout', message: 'slow' };
        }),
        'consent-banner-incomplete',
        'error',
      ],
      [
        'one-visit scan',
        browser((b) => (b.visits = b.visits.filter((v) => v.kind === 'none'))),
        'consent-banner-not-observed',
        'skipped',
      ],
    ],
    withBrowser,
  );

  it('lists the tracking cookies found without a banner, in one finding', () => {
    const r = consentBanner.run(
      browser((b) => {
        noBanner(b);
        addAnalytics(visitOf(b, 'none'));
      }),
      { now: NOW },
    );
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.title).toBe('No consent banner, but 1 tracking cookie(s) are set');
    expect(r.findings[0]?.evidence).toContain('before consent: cookie "_ga" on .example.test');
  });
});
