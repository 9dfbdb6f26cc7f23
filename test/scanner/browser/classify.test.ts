/**
 * The classifier on the shipped snapshot: first/third party by registrable domain (subdomains,
 * private suffixes, IPs), EasyPrivacy-then-EasyList matches with the filter text, owners, request
 * types; the engine cache; operator rules preferred over the snapshot.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifierOptionsFor,
  createClassifier,
  filterRequestType,
  registrableDomain,
  type Classifier,
} from '../../../src/scanner/browser/classify.ts';
import { sha256Hex } from '../../../src/scanner/browser/rule-sources.ts';
import { loadEngine } from '../../../src/scanner/browser/tracker-engine.ts';

const PAGE = 'https://www.shop.example.com/basket';

let classifier: Classifier;
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vioscan-classify-'));
  classifier = await createClassifier({ cacheDir: path.join(scratch, 'cache') });
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('party', () => {
  it.each([
    ['the page host', 'https://www.shop.example.com/app.js', 'example.com', 'first'],
    ['a sibling subdomain', 'https://cdn.example.com/app.js', 'example.com', 'first'],
    ['another registrable domain', 'https://example.net/app.js', 'example.net', 'third'],
    ['a look-alike suffix', 'https://evilexample.com/app.js', 'evilexample.com', 'third'],
    ['a multi-label public suffix', 'https://shop.example.co.uk/a.js', 'example.co.uk', 'third'],
    ['a blob: URL of the page origin', 'blob:https://www.shop.example.com/5f0e', 'example.com', 'first'],
    ['a data: URL (never leaves the page)', 'data:image/png;base64,iVBOR', 'example.com', 'first'],
    ['an IP literal', 'http://192.0.2.10/x', '192.0.2.10', 'third'],
    ['an IPv6 literal', 'http://[2001:db8::1]/x', '2001:db8::1', 'third'],
  ])('%s', (_name, url, domain, party) => {
    expect(classifier.classify(url, { pageUrl: PAGE })).toMatchObject({ domain, party });
  });

  it('treats sites under a private suffix as separate owners (allowPrivateDomains)', () => {
    expect(registrableDomain('alice.github.io')).toBe('alice.github.io');
    expect(registrableDomain('bucket.s3.amazonaws.com')).toBe('bucket.s3.amazonaws.com');
    const pageOnGithub = 'https://alice.github.io/blog/';
    expect(classifier.classify('https://alice.github.io/app.js', { pageUrl: pageOnGithub }).party).toBe(
      'first',
    );
    expect(classifier.classify('https://bob.github.io/app.js', { pageUrl: pageOnGithub }).party).toBe(
      'third',
    );
  });

  it('normalises hosts: case, trailing dot, a cookie domain’s leading dot, single labels', () => {
    expect(registrableDomain('WWW.Example.COM.')).toBe('example.com');
    expect(registrableDomain('localhost')).toBe('localhost');
    expect(classifier.classifyCookieDomain('.cdn.example.com', PAGE)).toMatchObject({
      domain: 'example.com',
      party: 'first',
    });
    expect(classifier.classifyCookieDomain('.doubleclick.net', PAGE)).toMatchObject({
      domain: 'doubleclick.net',
      party: 'third',
      owner: { company: 'Google LLC', purpose: 'advertising' },
    });
  });
});

describe('tracker lists', () => {
  it.each([
    [
      'GA4 collect (a beacon)',
      'https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123&en=page_view',
      'Ping',
      '$ping,third-party',
    ],
    ['gtag.js', 'https://www.googletagmanager.com/gtag/js?id=G-ABC123', 'Script', '||googletagmanager.com^'],
    ['fbevents.js', 'https://connect.facebook.net/en_US/fbevents.js', 'Script', '/fbevents.js'],
    ['the Facebook pixel', 'https://www.facebook.com/tr/?id=1&ev=PageView', 'Image', '||facebook.com/tr/'],
    ['Hotjar', 'https://static.hotjar.com/c/hotjar-123.js?sv=6', 'Script', '||hotjar.com^$third-party'],
  ])('EasyPrivacy matches %s, quoting the filter', (_name, url, type, filter) => {
    expect(classifier.classify(url, { pageUrl: PAGE, type }).tracker).toEqual({
      list: 'easyprivacy',
      filter,
    });
  });

  it('falls through to EasyList for ads', () => {
    const result = classifier.classify('https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js', {
      pageUrl: PAGE,
      type: 'script',
    });
    expect(result.tracker).toEqual({ list: 'easylist', filter: '||pagead2.googlesyndication.com^' });
  });

  it.each([
    ['a clean CDN', 'https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js', 'script'],
    ['a first-party script', 'https://www.shop.example.com/static/app.js', 'script'],
    ['a font', 'https://fonts.gstatic.com/s/roboto/v30/KFOmCnqEu92Fr1Mu4mxK.woff2', 'font'],
  ])('does not mark %s', (_name, url, type) => {
    expect(classifier.classify(url, { pageUrl: PAGE, type }).tracker).toBeUndefined();
  });

  it('caps a long filter line and keeps the start of it', () => {
    const result = classifier.classify('https://ads.example.net/banner/ad.js', {
      pageUrl: PAGE,
      type: 'script',
    });
    expect(result.tracker?.list).toBe('easylist');
    expect(result.tracker!.filter.length).toBeLessThanOrEqual(200);
    expect(result.tracker!.filter.startsWith('://ads.')).toBe(true);
  });

  it('maps CDP resource types: lower case, a frame document to sub_frame', () => {
    expect(filterRequestType('XHR')).toBe('xhr');
    expect(filterRequestType('Document', 'sub')).toBe('sub_frame');
    expect(filterRequestType('Document', 'main')).toBe('main_frame');
    expect(filterRequestType('CSPViolationReport')).toBe('csp_report');
  });

  it('attaches the owner with its first-party source, the most specific entry first', () => {
    expect(
      classifier.classify('https://bat.bing.com/bat.js', { pageUrl: PAGE, type: 'script' }).owner,
    ).toMatchObject({
      company: 'Microsoft Corporation',
      product: 'Microsoft Advertising UET',
      purpose: 'advertising',
    });
    expect(classifier.classify('https://www.bing.com/search?q=x', { pageUrl: PAGE }).owner).toBeUndefined();
    expect(
      classifier.classify('https://www.googletagmanager.com/gtm.js', { pageUrl: PAGE }).owner?.source,
    ).toMatch(/^https:\/\//);
  });

  it('lists the snapshot in use with its dates and licences', () => {
    expect(classifier.lists.map((l) => [l.id, l.date])).toEqual([
      ['easyprivacy', '2025-10-31'],
      ['easylist', '2025-10-31'],
      ['owners', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)],
    ]);
    expect(classifier.lists[0]!.licence).toBe('GPL-3.0-or-later OR CC-BY-SA-3.0');
  });

  it('is built once per process and rule set', async () => {
    expect(await createClassifier({ cacheDir: path.join(scratch, 'cache') })).toBe(classifier);
  });
});

describe('engine cache', () => {
  const list = '[Adblock Plus 2.0]\n! Title: EasyPrivacy\n||tracker.test^\n';

  it('parses once, then deserializes the cached engine; a corrupt cache file is parsed again', async () => {
    const cacheDir = path.join(scratch, 'small-cache');
    const first = loadEngine(list, cacheDir);
    const second = loadEngine(list, cacheDir);
    expect([first.via, second.via]).toEqual(['parse', 'cache']);
    const request = { url: 'https://a.tracker.test/p.gif', type: 'image', sourceUrl: PAGE };
    expect(second.matcher.match(request)).toBe('||tracker.test^');
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(new RegExp(`^${sha256Hex(list).slice(0, 32)}-v\\d+\\.engine$`));
    writeFileSync(path.join(cacheDir, file!), 'not an engine');
    const third = loadEngine(list, cacheDir);
    expect(third.via).toBe('parse');
    expect(third.matcher.match(request)).toBe('||tracker.test^');
  });

  it('writes nothing without a cache folder', () => {
    expect(loadEngine(list).via).toBe('parse');
    expect(existsSync(path.join(scratch, 'none'))).toBe(false);
  });

  it('keeps the shipped engines in the classifier’s cache folder', () => {
    expect(readdirSync(path.join(scratch, 'cache')).filter((f) => f.endsWith('.engine'))).toHaveLength(2);
  });
});

describe('operator rules', () => {
  it('prefers the operator’s list and date, and rebuilds when the files change', async () => {
    const rulesDir = path.join(scratch, 'operator');
    const options = { rulesDir, cacheDir: path.join(scratch, 'cache') };
    const write = async (text: string, date: string) => {
      await writeFile(path.join(rulesDir, 'easyprivacy.txt'), text);
      await writeFile(
        path.join(rulesDir, 'manifest.json'),
        JSON.stringify({ easyprivacy: { date, source: 'test', sha256: sha256Hex(text) } }),
      );
    };
    await mkdir(rulesDir);
    await write('[Adblock Plus 2.0]\n! Title: EasyPrivacy\n||operator-tracker.test^\n', '2026-11-30');
    const operator = await createClassifier(options);
    expect(operator.lists[0]).toMatchObject({ id: 'easyprivacy', date: '2026-11-30' });
    expect(
      operator.classify('https://x.operator-tracker.test/a.js', { pageUrl: PAGE, type: 'script' }).tracker,
    ).toEqual({
      list: 'easyprivacy',
      filter: '||operator-tracker.test^',
    });
    // The shipped EasyPrivacy is no longer in use; EasyList still is.
    expect(
      operator.classify('https://www.googletagmanager.com/gtag/js', { pageUrl: PAGE, type: 'script' })
        .tracker,
    ).toBeUndefined();
    expect(operator.lists[1]).toMatchObject({ id: 'easylist', date: '2025-10-31' });

    await write('[Adblock Plus 2.0]\n! Title: EasyPrivacy\n||second-tracker.test^\n', '2026-12-01');
    const refreshed = await createClassifier(options);
    expect(refreshed).not.toBe(operator);
    expect(refreshed.lists[0]!.date).toBe('2026-12-01');
  });

  it('derives RULES_DIR and the cache folder from the configuration', () => {
    expect(classifierOptionsFor({ dataDir: '/srv/data' })).toEqual({
      rulesDir: '/srv/data/rules',
      cacheDir: '/srv/data/rules/cache',
    });
    expect(classifierOptionsFor({ dataDir: '/srv/data', rulesDir: '/etc/vioscan/rules' }).rulesDir).toBe(
      '/etc/vioscan/rules',
    );
  });
});
