/** The bench's fixture sites: a hardened page, heavy pages, a redirect, plain http, EC and cookies, a crawl. */
import { GOOD_HEADERS, GOOD_PAGE } from '../test/scanner/smoke/fixtures.ts';
import { redirectTo, type TestSiteSpec } from '../test/sites/site.ts';

const page = (n: number) =>
  `<!doctype html><html><head>${'<script src="/a.js"></script><link rel="stylesheet" href="/s.css">'.repeat(n)}</head><body>${'<p>text <img src="/i.png"></p>'.repeat(n * 10)}</body></html>`;

export const SPECS: TestSiteSpec[] = [
  { routes: { '/': { headers: GOOD_HEADERS, body: GOOD_PAGE } } },
  { routes: { '/': { headers: { 'content-type': 'text/html' }, body: page(20) } } },
  { routes: { '/': { headers: { 'content-type': 'text/html' }, body: page(200), gzip: true } } },
  { routes: { '/': redirectTo('/home', 302), '/home': { headers: GOOD_HEADERS, body: page(5) } } },
  {
    tls: false,
    routes: { '/': { headers: { 'content-type': 'text/html', server: 'Apache/2.4.1' }, body: page(10) } },
  },
  {
    tls: 'ec',
    routes: { '/': { headers: { ...GOOD_HEADERS, 'set-cookie': ['sid=1; Path=/'] }, body: page(1) } },
  },
  {
    routes: {
      '/': { headers: GOOD_HEADERS, body: `<a href="/a">a</a><a href="/b">b</a>${GOOD_PAGE}` },
      '/a': { headers: GOOD_HEADERS, body: page(2) },
      '/b': { headers: GOOD_HEADERS, body: page(2) },
    },
  },
];
