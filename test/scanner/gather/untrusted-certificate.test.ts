/**
 * An untrusted, expired or wrong-host certificate is a finding, not a failed scan: the scan records
 * the certificate, goes on without verification (the SSRF guard unchanged), grades the site and
 * the certificate finding caps the grade. Fetchers other than the scan's (site verification,
 * webhooks) still refuse such a certificate, and --header secrets never reach such a host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFetcher } from '../../../src/scanner/gather/safe-fetch.ts';
import { classifyRedirection } from '../../../src/scanner/grade/observatory-tests.ts';
import { scan } from '../../../src/scanner/index.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { redirectTo, startTestSite, type RecordedRequest, type RunningSite } from '../../sites/site.ts';

const PAGE = {
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'strict-transport-security': 'max-age=63072000',
    'x-content-type-options': 'nosniff',
  },
  body: '<!doctype html><title>t</title>',
};

const sites: Record<string, RunningSite> = {};
/** The same certificates, each with an http:// twin that redirects to https. */
const twins: Record<string, RunningSite> = {};
const SECRET = 'do-not-leak-3f9a';

beforeAll(async () => {
  for (const tls of ['valid', 'expired', 'wrong-host', 'self-signed'] as const) {
    sites[tls] = await startTestSite({ tls, routes: { '*': PAGE } });
    const twin: RunningSite = await startTestSite({
      tls,
      http: true,
      routes: { '*': PAGE },
      httpRoutes: { '*': () => redirectTo(twin.httpsUrl!) },
    });
    twins[tls] = twin;
  }
});

afterAll(async () => {
  await Promise.all([...Object.values(sites), ...Object.values(twins)].map((s) => s.close()));
  await disposeTestPki();
});

const options = () => ({ allowPrivate: true, ca: [sites.valid!.pki.caPem] });
const tokenSeen = (site: RunningSite) =>
  site.requests.some((r: RecordedRequest) => r.headers['x-token'] === SECRET);

describe('scanning a site whose certificate fails', () => {
  it.each([
    ['expired', 'certificate-expired', /CERT_HAS_EXPIRED/],
    ['wrong-host', 'certificate-hostname-mismatch', /ERR_TLS_CERT_ALTNAME_INVALID/],
    ['self-signed', 'certificate-untrusted', /SELF_SIGNED/],
  ])('%s: grades the site, names the certificate and caps the grade at F', async (leaf, outcome, reason) => {
    const { report, artefacts } = await scan(sites[leaf]!.url, options());
    expect(report.error).toBeUndefined();
    expect(artefacts.page.final?.status).toBe(200);
    expect(artefacts.page.final?.unverifiedTls).toMatch(reason);
    // The headers were judged: the page's HSTS and nosniff are there.
    expect(report.checks.find((c) => c.id === 'x-content-type-options')?.status).toBe('pass');
    expect(report.findings.map((f) => f.outcome)).toContain(outcome);
    expect(report.grade).toBe('F');
    expect(report.gradeCap?.outcomes).toContain(outcome);
    // Observatory's method has its own answer to a bad certificate: HSTS cannot count.
    expect(report.headersGrade).not.toBeNull();
  });

  it('a valid certificate is verified and nothing is capped (control)', async () => {
    const { report, artefacts } = await scan(sites.valid!.url, options());
    expect(artefacts.page.final?.unverifiedTls).toBeUndefined();
    expect(report.gradeCap).toBeUndefined();
    expect(report.grade).not.toBe('F');
  });

  it('never sends --header values to a host whose certificate failed', async () => {
    const site = sites.expired!;
    site.requests.length = 0;
    const { artefacts } = await scan(site.url, { ...options(), headers: { 'x-token': SECRET } });
    expect(artefacts.page.final?.status).toBe(200);
    expect(site.requests.length).toBeGreaterThan(0);
    expect(tokenSeen(site)).toBe(false);
  });

  it('sends --header values to a verified host (control)', async () => {
    const site = sites.valid!;
    site.requests.length = 0;
    await scan(site.url, { ...options(), headers: { 'x-token': SECRET } });
    expect(tokenSeen(site)).toBe(true);
  });
});

describe('parallel requests to a host whose certificate fails', () => {
  // More requests than connections per origin: undici queues the rest behind a failing connection.
  const PARALLEL = 5;
  const fetchAll = async (url: string, untrustedCertificates: 'continue' | 'fail') => {
    const f = createSafeFetcher({
      ...options(),
      untrustedCertificates,
      connectionsPerOrigin: 2,
      timeouts: { totalMs: 10_000 },
    });
    try {
      return await Promise.all(Array.from({ length: PARALLEL }, () => f.request(url)));
    } finally {
      await f.destroy();
    }
  };

  it.each(['wrong-host', 'expired', 'self-signed'])(
    '%s: every request is answered without verification, none waits for the timeout',
    async (leaf) => {
      const results = await fetchAll(sites[leaf]!.url, 'continue');
      for (const r of results) expect(r).toMatchObject({ status: 200, unverifiedTls: expect.any(String) });
    },
  );

  it.each(['wrong-host', 'expired', 'self-signed'])(
    '%s: a strict fetcher fails every request as tls_failed, none as a timeout',
    async (leaf) => {
      const results = await fetchAll(sites[leaf]!.url, 'fail');
      for (const r of results) expect(r).toMatchObject({ error: { code: 'tls_failed' } });
    },
  );

  it('a valid certificate: every request is answered and verified (control)', async () => {
    const results = await fetchAll(sites.valid!.url, 'continue');
    for (const r of results) {
      expect(r).toMatchObject({ status: 200 });
      expect(r).not.toHaveProperty('unverifiedTls');
    }
  });
});

describe('the http:// twin of a site whose certificate fails', () => {
  const scanTwin = (leaf: string) =>
    scan(twins[leaf]!.httpsUrl!, { ...options(), plainHttpPort: twins[leaf]!.httpPort!, pages: 0 });

  it.each(['wrong-host', 'expired', 'self-signed'])(
    '%s: the redirect to https is followed, its hop marked unverified (Observatory: redirection-invalid-cert)',
    async (leaf) => {
      const { artefacts } = await scanTwin(leaf);
      expect(artefacts.cut).toBeUndefined();
      expect(artefacts.httpRedirect?.error).toBeUndefined();
      expect(artefacts.httpRedirect?.hops.map((h) => h.status)).toEqual([301, 200]);
      expect(artefacts.httpRedirect?.final?.unverifiedTls).toEqual(expect.any(String));
      expect(classifyRedirection(artefacts)).toBe('redirection-invalid-cert');
    },
  );

  it('a valid certificate: the redirect counts (control)', async () => {
    const { artefacts } = await scanTwin('valid');
    expect(artefacts.httpRedirect?.final?.unverifiedTls).toBeUndefined();
    expect(classifyRedirection(artefacts)).toBe('redirection-to-https');
  });
});

describe('other fetchers stay strict', () => {
  it.each(['expired', 'wrong-host', 'self-signed'])(
    '%s: a default fetcher fails with tls_failed',
    async (leaf) => {
      const f = createSafeFetcher(options());
      const res = await f.request(sites[leaf]!.url);
      await f.close();
      expect(res).toMatchObject({ error: { code: 'tls_failed' } });
    },
  );
});
