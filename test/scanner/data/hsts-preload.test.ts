import { describe, expect, it } from 'vitest';
import {
  chromiumPreloadToText,
  loadHstsPreload,
  parsePreloadText,
  preloadList,
} from '../../../src/scanner/data/hsts-preload.ts';
import { hstsPreloadOf } from '../../../src/scanner/gather/hsts-preload.ts';

const list = preloadList(
  () => parsePreloadText('bank.example include_subdomains\nshop.example\r\n\ndev   include_subdomains'),
  'x',
);

describe('HSTS preload lookup', () => {
  it.each([
    ['bank.example', 'bank.example'],
    ['www.bank.example', 'bank.example'],
    ['WWW.Bank.Example.', 'bank.example'],
    ['shop.example', 'shop.example'],
    ['anything.dev', 'dev'],
  ])('%s is covered by %s', (host, name) => {
    expect(list.lookup(host)?.name).toBe(name);
  });

  it.each(['www.shop.example', 'example', 'bank.example.evil', 'notbank.example'])('%s is not covered', (host) => {
    expect(list.lookup(host)).toBeUndefined();
  });

  it('ships a dated snapshot of the real list', () => {
    const shipped = loadHstsPreload();
    expect(shipped.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(shipped.size()).toBeGreaterThan(50_000);
    expect(shipped.lookup('www.github.com')).toEqual({ name: 'github.com', includeSubDomains: true });
    expect(shipped.lookup('vioscan.test')).toBeUndefined();
  });
});

describe("Chromium's JSON", () => {
  it('keeps force-https entries, drops comments, pins-only entries and malformed names', () => {
    const json = [
      '// Copyright The Chromium Authors',
      '{ "entries": [',
      '  // a comment inside',
      '  { "name": "a.example", "policy": "bulk-18-weeks", "mode": "force-https", "include_subdomains": true },',
      '  { "name": "pins.example", "policy": "google", "pins": "google" },',
      '  { "name": "b.example", "policy": "custom", "mode": "force-https" },',
      '  { "name": "bad name\\nwith newline", "mode": "force-https" }',
      ']}',
    ].join('\n');
    expect(chromiumPreloadToText(json)).toEqual({
      text: 'a.example include_subdomains\nb.example\n',
      count: 2,
    });
  });

  it('refuses a file that is not the list', () => {
    expect(() => chromiumPreloadToText('{"version": 1}')).toThrow('it has no "entries" array');
  });
});

describe('the scan records', () => {
  it('each host of the page and http:// chains once, looking up only names that can be listed', () => {
    const asked: string[] = [];
    const spy = preloadList(() => {
      asked.push('load');
      return parsePreloadText('shop.fr\n');
    }, '2026-06-01');
    const hop = (url: string) => ({ url, status: 301, headers: {}, timingMs: 1 });
    const artefact = hstsPreloadOf(spy, new URL('https://shop.fr/'), [
      { requestedUrl: 'https://shop.fr/', hops: [hop('https://shop.fr/'), hop('https://www.shop.fr/')] },
      { requestedUrl: 'http://shop.fr/', hops: [hop('http://shop.fr/'), hop('http://127.0.0.1/')] },
      undefined,
    ]);
    expect(artefact).toEqual({
      listDate: '2026-06-01',
      hosts: [
        { host: 'shop.fr', entry: { name: 'shop.fr', includeSubDomains: false } },
        { host: 'www.shop.fr' },
        { host: '127.0.0.1' },
      ],
    });
    expect(asked).toEqual(['load']);
  });

  it('never reads the list for a loopback or .test scan', () => {
    const spy = preloadList(() => {
      throw new Error('the list was read');
    }, 'd');
    expect(hstsPreloadOf(spy, new URL('https://site.test/'), []).hosts).toEqual([{ host: 'site.test' }]);
    expect(hstsPreloadOf(spy, new URL('https://[::1]/'), []).hosts).toEqual([{ host: '[::1]' }]);
  });
});
