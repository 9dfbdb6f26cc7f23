/**
 * Facebook pixel and Google Analytics / Ads events from parsed request parameters, with controls
 * that Blacklight's substring checks would have flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../../src/scanner/browser/classify.ts';
import { detect } from '../../../src/scanner/browser/detect.ts';
import type { RawRequest } from '../../../src/scanner/browser/types.ts';
import { PAGE, rawVisit, request, tinyClassifier } from './helpers.ts';

const FBEVENTS = 'https://connect.facebook.net/en_US/fbevents.js';

let classifier: Classifier;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ classifier, cleanup } = await tinyClassifier()));
afterAll(() => cleanup());

const pixels = (...requests: RawRequest[]) => detect(rawVisit({ requests }), classifier, PAGE).pixels;

describe('Facebook pixel', () => {
  it('reads ev and the advanced-matching keys from the query', () => {
    const url =
      'https://www.facebook.com/tr/?id=123&ev=PageView&dl=https%3A%2F%2Fshop.example.com%2F&ud[em]=ab12&ud[ph]=cd34&cd[value]=9';
    expect(pixels(request(url, { type: 'image', initiator: FBEVENTS }))).toEqual([
      {
        vendor: 'facebook',
        event: 'PageView',
        advancedMatching: ['ud[em]', 'ud[ph]'],
        url,
        initiator: FBEVENTS,
        party: 'third',
      },
    ]);
  });

  it('reads a multipart POST body', () => {
    const boundary = '----x';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="id"',
      '',
      '123',
      `--${boundary}`,
      'Content-Disposition: form-data; name="ev"',
      '',
      'Purchase',
      `--${boundary}`,
      'Content-Disposition: form-data; name="udff[em]"',
      '',
      'ef56',
      `--${boundary}--`,
    ].join('\r\n');
    const found = pixels(
      request('https://www.facebook.com/tr/', { type: 'fetch', method: 'POST', postData: body }),
    );
    expect(found).toMatchObject([{ vendor: 'facebook', event: 'Purchase', advancedMatching: ['udff[em]'] }]);
  });

  it.each([
    ['another facebook.com path', 'https://www.facebook.com/plugins/like.php?ev=PageView'],
    ['a look-alike host', 'https://notfacebook.com/tr/?ev=PageView'],
    ['a first-party /tr without ev', 'https://shop.example.com/tr/?id=1'],
  ])('ignores %s', (_name, url) => {
    expect(pixels(request(url, { type: 'image' }))).toEqual([]);
  });
});

describe('Google Analytics', () => {
  it('reads GA4 events, one per line of a batched body', () => {
    const url = 'https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123&cid=1.2';
    const found = pixels(
      request(url, { type: 'ping', method: 'POST', postData: 'en=scroll&epn.percent=90\r\nen=click' }),
    );
    expect(found.map((p) => [p.vendor, p.event, p.remarketing, p.party])).toEqual([
      ['google-analytics', 'scroll', undefined, 'third'],
      ['google-analytics', 'click', undefined, 'third'],
    ]);
  });

  it('reads a Universal Analytics hit type', () => {
    const url = 'https://www.google-analytics.com/collect?v=1&tid=UA-1234-1&t=pageview&cid=5';
    expect(pixels(request(url, { type: 'image' }))).toMatchObject([
      { vendor: 'google-analytics', event: 'pageview' },
    ]);
  });

  it.each([
    [
      'the advertising endpoint stats.g.doubleclick.net',
      'https://stats.g.doubleclick.net/g/collect?v=2&tid=G-ABC123&en=page_view',
    ],
    [
      'npa=0 (ads personalisation allowed)',
      'https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123&en=page_view&npa=0',
    ],
  ])('flags remarketing on %s', (_name, url) => {
    expect(pixels(request(url, { type: 'ping' }))).toMatchObject([
      { vendor: 'google-analytics', event: 'page_view', remarketing: true },
    ]);
  });

  it('recognises GA4 sent through a first-party server-side tagging host by its protocol', () => {
    const url = 'https://metrics.shop.example.com/g/collect?v=2&tid=G-ABC123&en=purchase';
    expect(pixels(request(url, { type: 'ping' }))).toMatchObject([
      { vendor: 'google-analytics', event: 'purchase', party: 'first' },
    ]);
  });

  it.each([
    [
      'a URL that merely mentions UA- and stats.g.doubleclick',
      'https://cdn.example.com/static/UA-widget.js?src=stats.g.doubleclick.net&G-',
    ],
    ['a /g/collect without a GA4 tag id', 'https://shop.example.com/g/collect?v=2&tid=shop&en=x'],
  ])('ignores %s', (_name, url) => {
    expect(pixels(request(url, { type: 'script' }))).toEqual([]);
  });

  it('does not flag remarketing on npa=1 (no ads personalisation)', () => {
    const url = 'https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123&en=page_view&npa=1';
    const [found, ...rest] = pixels(request(url, { type: 'ping' }));
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ event: 'page_view' });
    expect(found!.remarketing).toBeUndefined();
  });
});

describe('Google Ads', () => {
  it.each([
    [
      'a viewthroughconversion remarketing tag',
      'https://googleads.g.doubleclick.net/pagead/viewthroughconversion/123/?random=1&data=event%3Dgtag.config%3Bx%3D1',
      'gtag.config',
      true,
    ],
    [
      'a 1p-user-list remarketing hit',
      'https://www.google.com/pagead/1p-user-list/123/?en=page_view',
      'page_view',
      true,
    ],
    [
      'a conversion',
      'https://www.googleadservices.com/pagead/conversion/123/?label=abc',
      'conversion',
      undefined,
    ],
  ])('reads %s', (_name, url, event, remarketing) => {
    const [found] = pixels(request(url, { type: 'image' }));
    expect(found).toMatchObject({ vendor: 'google-ads', event });
    expect(found!.remarketing).toBe(remarketing);
  });
});
