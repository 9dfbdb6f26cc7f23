/**
 * The crawl on a loopback site: links first, then sitemap.xml, robots.txt honoured, the limit
 * kept, off-origin redirects dropped; the content checks run on every page and name it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/scanner/analyze.ts';
import { gather } from '../../../src/scanner/gather/index.ts';
import { sitemapUrls } from '../../../src/scanner/gather/pages.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { redirectTo, startTestSite, type RunningSite } from '../../sites/site.ts';

const html = (body: string) => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body });
let site: RunningSite;

beforeAll(async () => {
  site = await startTestSite({
    routes: {
      '/': html(
        '<a href="/about#team">About</a> <a href="/private/admin">Admin</a> <a href="/logo.png">logo</a>' +
          '<a href="https://elsewhere.example/">out</a> <a href="/away">away</a> <a href="/">home</a>',
      ),
      '/about': html('<script src="http://cdn.example/lib.js"></script>'),
      '/private/admin': html('<p>secret</p>'),
      '/away': redirectTo('https://elsewhere.example/'),
      '/from-sitemap': html(
        '<form action="http://insecure.example/login" method="post"><input type="password"></form>',
      ),
      '/also-sitemap': html('<script src="http://cdn.example/lib.js"></script>'),
      '/robots.txt': {
        headers: { 'content-type': 'text/plain' },
        body: 'User-agent: *\nDisallow: /private/\n',
      },
      '/sitemap.xml': (_req, s) => ({
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${s.httpsUrl}from-sitemap</loc></url><url><loc>${s.httpsUrl}also-sitemap</loc></url><url><loc>https://elsewhere.example/x</loc></url></urlset>`,
      }),
    },
  });
});

afterAll(async () => {
  await site.close();
  await disposeTestPki();
});

const meta = () => ({ startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() });

describe('page crawl', () => {
  it('follows same-origin links then the sitemap, honours robots.txt and drops off-origin pages', async () => {
    // The target is an IP literal: any name the resolver is asked about came from following a link off the site.
    const asked: string[] = [];
    const resolver = async (host: string) => {
      asked.push(host);
      throw Object.assign(new Error('no DNS in tests'), { code: 'ENOTFOUND' });
    };
    const a = await gather(site.url, { allowPrivate: true, ca: [site.pki.caPem], resolver });
    expect(asked).toEqual([]);
    const p = a.pages!;
    expect(p.robotsTxt?.status).toBe(200);
    expect(p.sitemap).toMatchObject({ status: 200, urls: 3 });
    expect(p.pages.map((x) => new URL(x.url).pathname)).toEqual(['/about', '/from-sitemap', '/also-sitemap']);
    expect(p.skipped.robots).toBe(1);
    expect(site.requests.some((r) => r.path === '/private/admin')).toBe(false);
    expect(site.requests.some((r) => r.path === '/logo.png')).toBe(false);
    // Bodies are not kept; what the checks need is.
    expect(p.pages[0]!.chain.final?.body).toBeUndefined();
    expect(p.pages[0]!.html?.scripts).toEqual([{ src: 'http://cdn.example/lib.js' }]);

    const report = analyze(a, meta());
    const mixed = report.findings.filter((f) => f.checkId === 'mixed-content');
    expect(mixed).toHaveLength(1);
    expect(mixed[0]!.evidence).toContain(`page "${site.httpsUrl}about"`);
    expect(mixed[0]!.evidence).toContain('(also on 1 other page)');
    const form = report.findings.find((f) => f.checkId === 'form-actions');
    expect(form?.evidence).toContain(`page "${site.httpsUrl}from-sitemap"`);
    expect(report.checks.find((c) => c.id === 'form-actions')?.status).toBe('fail');
  });

  it('keeps the limit and counts what it left out', async () => {
    const a = await gather(site.url, { allowPrivate: true, ca: [site.pki.caPem], pages: 1 });
    expect(a.pages!.pages.map((x) => new URL(x.url).pathname)).toEqual(['/about']);
    expect(a.pages!.skipped.limit).toBe(3);
  });

  it('control: pages 0 crawls nothing, and the home page alone passes the content checks', async () => {
    const before = site.requests.length;
    const a = await gather(site.url, { allowPrivate: true, ca: [site.pki.caPem], pages: 0 });
    expect(a.pages).toBeUndefined();
    expect(site.requests.slice(before).map((r) => r.path)).not.toContain('/robots.txt');
    const report = analyze(a, meta());
    expect(report.checks.find((c) => c.id === 'mixed-content')?.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'form-actions')?.status).toBe('pass');
  });

  it('reads <loc> of a urlset, not of a sitemap index, and survives junk', () => {
    expect(sitemapUrls('<urlset><url><loc> https://a.example/x </loc></url></urlset>')).toEqual([
      'https://a.example/x',
    ]);
    expect(
      sitemapUrls('<sitemapindex><sitemap><loc>https://a.example/s.xml</loc></sitemap></sitemapindex>'),
    ).toEqual([]);
    expect(sitemapUrls('<<<not xml')).toEqual([]);
  });
});
