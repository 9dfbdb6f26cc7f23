import { describe, expect, it } from 'vitest';
import type { PixelEvent } from '../../../src/scanner/browser/types.ts';
import { advertisingPixels } from '../../../src/scanner/checks/advertising-pixels.ts';
import { NOW } from '../helpers/artefacts.ts';
import { browser, inVisit, withBrowser } from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const fb = (extra: Partial<PixelEvent> = {}): PixelEvent => ({
  vendor: 'facebook',
  event: 'PageView',
  url: 'https://www.facebook.test/tr?id=123&ev=PageView',
  ...extra,
});
const ga = (remarketing: boolean): PixelEvent => ({
  vendor: 'google-analytics',
  event: 'page_view',
  remarketing,
  url: 'https://stats.g.doubleclick.test/g/collect?tid=G-1',
});

describe('advertising-pixels', () => {
  checkTable(
    advertisingPixels,
    'advertising-pixels-none',
    [
      ['Meta pixel PageView', inVisit('none', (v) => v.pixels.push(fb())), 'advertising-pixels-sent', 'fail'],
      [
        'Meta pixel with advanced matching',
        inVisit('none', (v) =>
          v.pixels.push(
            fb({
              advancedMatching: ['ud[em]', 'ud[ph]'],
              url: 'https://www.facebook.test/tr?id=123&ev=PageView&ud[em]=x',
            }),
          ),
        ),
        'advertising-pixels-advanced-matching',
        'fail',
      ],
      [
        'Google Analytics remarketing',
        inVisit('reject', (v) => v.pixels.push(ga(true))),
        'advertising-pixels-sent',
        'fail',
      ],
      [
        'Google Analytics without remarketing is analytics, not a pixel',
        inVisit('none', (v) => v.pixels.push(ga(false))),
        'advertising-pixels-none',
        'pass',
      ],
      [
        'Google Ads conversion',
        inVisit('gpc', (v) =>
          v.pixels.push({
            vendor: 'google-ads',
            event: 'conversion',
            url: 'https://googleads.g.doubleclick.test/pagead/viewthroughconversion/1/',
          }),
        ),
        'advertising-pixels-sent',
        'fail',
      ],
      [
        'a visit failed',
        inVisit('none', (v) => (v.error = { code: 'timeout', message: 'slow' })),
        'advertising-pixels-incomplete',
        'error',
      ],
      ['no visits', browser((b) => (b.visits = [])), 'advertising-pixels-not-observed', 'skipped'],
    ],
    withBrowser,
  );

  it('without the sending script, the fix names the host the pixel reports to', () => {
    const r = advertisingPixels.run(
      inVisit('none', (v) => v.pixels.push(fb())),
      { now: NOW },
    );
    expect(r.findings[0]?.remediation).toBe(
      'Load the Meta (Facebook) pixel (requests to www.facebook.test) only after the visitor consents to advertising.',
    );
  });

  it('groups by vendor, lists events, advanced-matching keys and visits, shows the request that carried them', () => {
    const withData = 'https://www.facebook.test/tr?id=123&ev=Lead&ud[em]=x';
    const r = advertisingPixels.run(
      browser((b) => {
        b.visits[0]?.pixels.push(
          fb(),
          fb({
            event: 'Lead',
            advancedMatching: ['ud[em]'],
            url: withData,
            initiator: 'https://connect.facebook.test/en_US/fbevents.js',
          }),
        );
        b.visits[1]?.pixels.push(fb());
      }),
      { now: NOW },
    );
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.title).toBe('Meta (Facebook) pixel sends personal data (advanced matching)');
    expect(r.findings[0]?.evidence).toBe(
      `before consent, after you rejected: events "PageView", "Lead"; advanced-matching keys "ud[em]"; e.g. ${JSON.stringify(withData)}`,
    );
    expect(r.findings[0]?.remediation).toBe(
      'Load the script "https://connect.facebook.test/en_US/fbevents.js" (from connect.facebook.test), which sends the ' +
        'Meta (Facebook) pixel, only after the visitor consents to advertising, and turn off automatic advanced matching.',
    );
  });
});
