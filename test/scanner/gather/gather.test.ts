/**
 * gather() end to end on loopback sites: every artefact filled, parallel phases timed, the
 * http:// twin, security.txt variants, exposed files only with active, CORS probe origin, and
 * failures recorded in artefacts rather than thrown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSED_FILE_PATHS } from '../../../src/scanner/gather/exposed-files.ts';
import { CORS_PROBE_ORIGIN } from '../../../src/scanner/gather/http.ts';
import { gather } from '../../../src/scanner/gather/index.ts';
import { closedPort, redirectTo, startTestSite, type RunningSite } from '../../sites/site.ts';
import { disposeTestPki } from '../../sites/pki.ts';

let site: RunningSite;
let bare: RunningSite;
const SECURITY_TXT = 'Contact: mailto:security@site.example\nExpires: 2030-01-01T00:00:00.000Z\n';

beforeAll(async () => {
  site = await startTestSite({
    http: true,
    routes: {
      '/': (req) => ({
        headers: {
          'content-type': 'text/html; charset=utf-8',
          ...(req.headers.origin && {
            'access-control-allow-origin': String(req.headers.origin),
            'access-control-allow-credentials': 'true',
          }),
        },
        body: '<html><head><script src="https://cdn.example/x.js"></script></head><body></body></html>',
      }),
      '/.well-known/security.txt': redirectTo('/security.txt', 302),
      '/security.txt': { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: SECURITY_TXT },
      '/.git/HEAD': { headers: { 'content-type': 'text/plain' }, body: 'ref: refs/heads/main\n' },
      '/.env': redirectTo('/login'),
    },
    httpRoutes: { '*': () => redirectTo(site.httpsUrl!) },
  });
  bare = await startTestSite({
    tls: false,
    routes: { '/': { headers: { 'content-type': 'application/json' }, body: '{}' } },
  });
});

afterAll(async () => {
  await site.close();
  await bare.close();
  await disposeTestPki();
});

const options = () => ({ allowPrivate: true, ca: [site.pki.caPem] });

describe('gather', () => {
  it('collects every artefact of an https site, in parallel, with timings', async () => {
    const a = await gather(site.httpsUrl!, { ...options(), plainHttpPort: site.httpPort! });
    expect(a.target).toBe(site.httpsUrl);
    expect(a.page.final?.status).toBe(200);
    expect(a.html?.scripts).toEqual([{ src: 'https://cdn.example/x.js' }]);
    expect(a.httpRedirect?.hops[0]).toMatchObject({ status: 301, headers: { location: [site.httpsUrl] } });
    expect(a.httpRedirect?.final?.url).toBe(site.httpsUrl);
    expect(a.tls?.versions['TLSv1.3']).toBe(true);
    expect(a.tls?.certificate?.chainTrusted).toBe(true);
    expect(a.securityTxt).toMatchObject({
      url: `${site.httpsUrl}.well-known/security.txt`,
      finalUrl: `${site.httpsUrl}security.txt`,
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: SECURITY_TXT,
    });
    expect(a.cors).toMatchObject({ origin: CORS_PROBE_ORIGIN, status: 200 });
    expect(a.cors?.headers['access-control-allow-origin']).toEqual([CORS_PROBE_ORIGIN]);
    expect(a.exposedFiles).toBeUndefined();
    for (const phase of ['page', 'tls', 'securityTxt', 'cors', 'httpRedirect', 'html', 'total']) {
      expect(a.timings[phase], phase).toBeTypeOf('number');
    }
    // Parallel: the whole gather takes far less than the sum of its phases.
    const sum = ['page', 'tls', 'securityTxt', 'cors', 'httpRedirect'].reduce((n, k) => n + a.timings[k]!, 0);
    expect(a.timings.total!).toBeLessThan(sum);
  });

  it('probes exposed files only with active, without following redirects', async () => {
    const a = await gather(site.httpsUrl!, { ...options(), active: true });
    expect(a.exposedFiles).toHaveLength(EXPOSED_FILE_PATHS.length);
    expect(a.exposedFiles?.find((f) => f.path === '/.git/HEAD')).toEqual({
      path: '/.git/HEAD',
      status: 200,
      contentType: 'text/plain',
      snippet: 'ref: refs/heads/main\n',
    });
    expect(a.exposedFiles?.find((f) => f.path === '/.env')?.status).toBe(301);
  });

  it('a plain http site: the page is its own http chain, no html for JSON, TLS refused on 443', async () => {
    const a = await gather(bare.url, options());
    expect(a.page.final?.status).toBe(200);
    expect(a.httpRedirect).toBe(a.page);
    expect(a.html).toBeUndefined();
    expect(a.tls).toBeUndefined(); // non-default plain port: there is no TLS endpoint to test
    expect(a.securityTxt?.status).toBe(404);
  });

  it('an unreachable site gives artefacts with errors, never a throw', async () => {
    const port = await closedPort();
    const a = await gather(`https://127.0.0.1:${port}/`, options());
    expect(a.page.error).toEqual({
      code: 'connect_failed',
      message: `connection to 127.0.0.1:${port} refused`,
    });
    expect(a.tls?.error?.code).toBe('connect_failed');
    expect(a.securityTxt?.error?.code).toBe('connect_failed');
  });

  it('a blocked target records one page error and one security event, and fetches nothing else', async () => {
    const events: string[] = [];
    const before = site.requests.length;
    const a = await gather(site.httpsUrl!, { onSecurityEvent: (e) => events.push(e.reason) });
    expect(a.page.error?.code).toBe('target_not_allowed');
    expect(a.tls).toBeUndefined();
    expect(a.securityTxt).toBeUndefined();
    expect(events).toEqual(['target not allowed: loopback address 127.0.0.1']);
    expect(site.requests.length).toBe(before);
  });

  it('an invalid URL is an artefact error', async () => {
    const a = await gather('not a url');
    expect(a.page.error?.code).toBe('invalid_url');
  });
});
