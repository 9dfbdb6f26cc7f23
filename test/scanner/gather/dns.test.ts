/**
 * The DNS gatherer and the domain checks end to end: a stub DNS server on loopback answers for
 * a fake domain (never public DNS), the MTA-STS policy is served by a loopback HTTPS site reached
 * through the SSRF-guarded fetcher, and the report's domain category is graded on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConnector } from 'undici';
import { analyze } from '../../../src/scanner/analyze.ts';
import { createDnsClient } from '../../../src/scanner/gather/dns-client.ts';
import { dnsEligible } from '../../../src/scanner/gather/dns.ts';
import { gather } from '../../../src/scanner/gather/index.ts';
import { progressScore } from '../../../src/scanner/grade/grade.ts';
import type { Dialler } from '../../../src/scanner/gather/safe-fetch.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { closedPort, startTestSite, type RunningSite } from '../../sites/site.ts';
import { dnsClientFor, resolverFor, startStubDns, type StubDns } from '../../sites/stub-dns.ts';

const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: mx.vioscan.test\r\nmax_age: 604800\r\n';
let site: RunningSite;
let good: StubDns;
let bare: StubDns;
let bogus: StubDns;

beforeAll(async () => {
  site = await startTestSite({
    routes: {
      '/': { headers: { 'content-type': 'text/html' }, body: '<!doctype html><p>hi</p>' },
      '/.well-known/mta-sts.txt': { headers: { 'content-type': 'text/plain' }, body: POLICY },
    },
  });
  good = await startStubDns({
    'www.vioscan.test': { A: ['127.0.0.1'], ad: true },
    'mta-sts.vioscan.test': { A: ['127.0.0.1'], ad: true },
    'vioscan.test': {
      ad: true,
      DNSKEY: ['257 3 13'],
      CAA: ['0 issue "ca.vioscan.test"'],
      MX: ['10 mx.vioscan.test'],
      TXT: ['v=spf1 mx -all', 'x'.repeat(300)],
    },
    '_dmarc.vioscan.test': { TXT: ['v=DMARC1; p=reject; rua=mailto:d@vioscan.test'], ad: true },
    '_mta-sts.vioscan.test': { TXT: ['v=STSv1; id=2025'], ad: true },
    '_smtp._tls.vioscan.test': { TXT: ['v=TLSRPTv1; rua=mailto:t@vioscan.test'], ad: true },
  });
  bare = await startStubDns({
    'www.vioscan.test': { A: ['127.0.0.1'] },
    'vioscan.test': { MX: ['10 mx.vioscan.test'] },
  });
  bogus = await startStubDns({
    'www.vioscan.test': { A: ['127.0.0.1'], rcode: 'SERVFAIL', servfailUnlessCd: true },
    'vioscan.test': { DNSKEY: ['257 3 13'] },
  });
});

afterAll(async () => {
  await Promise.all([site.close(), good.close(), bare.close(), bogus.close()]);
  await disposeTestPki();
});

/** Every connection goes to the loopback site's port: mta-sts.vioscan.test:443 included. */
function toSite(): Dialler {
  const real = buildConnector({ ca: [site.pki.caPem] });
  return (opts, cb) => real({ ...opts, port: String(site.httpsPort) }, cb);
}

async function scanWith(stub: StubDns, addresses: StubDns = stub) {
  const url = `https://www.vioscan.test:${site.httpsPort}/`;
  const artefacts = await gather(url, {
    allowPrivate: true,
    ca: [site.pki.caPem],
    resolver: resolverFor(addresses),
    dns: dnsClientFor(stub),
    dial: toSite(),
  });
  const report = analyze(artefacts, {
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
  });
  const outcome = (id: string) => report.checks.find((c) => c.id === id)?.outcome;
  return { artefacts, report, outcome };
}

describe('DNS gatherer', () => {
  it('collects the records of a well-configured domain and fetches its MTA-STS policy', async () => {
    const { artefacts, outcome, report } = await scanWith(good);
    const d = artefacts.dns!;
    expect(d).toMatchObject({ server: good.server, host: 'www.vioscan.test', domain: 'vioscan.test' });
    expect(d.address.authenticated).toBe(true);
    expect(d.caa.map((l) => l.name)).toEqual(['www.vioscan.test', 'vioscan.test']);
    expect(d.caa[1]!.records).toEqual(['0 issue "ca.vioscan.test"']);
    expect(d.mx.records).toEqual(['10 mx.vioscan.test.']);
    // A TXT record longer than 255 bytes arrives as several strings and is joined again.
    expect(d.txt.records).toEqual(['v=spf1 mx -all', 'x'.repeat(300)]);
    expect(d.mtaStsPolicy).toMatchObject({ status: 200, body: POLICY });
    expect(site.requests.some((r) => r.path === '/.well-known/mta-sts.txt')).toBe(true);
    expect(good.queries.get('_443._tcp.www.vioscan.test/TLSA')).toBe(1);
    for (const [id, expected] of Object.entries({
      dnssec: 'dnssec-validated',
      caa: 'caa-present',
      spf: 'spf-strict',
      dmarc: 'dmarc-enforced',
      'mta-sts': 'mta-sts-enforced',
      'tls-rpt': 'tls-rpt-valid',
      dane: 'dane-not-published',
    }))
      expect(outcome(id)).toBe(expected);
    expect(report.categories.find((c) => c.category === 'domain')?.grade).toBe('A+');
  });

  it('reports a domain without any records (control: the same checks fail)', async () => {
    const requestsBefore = site.requests.length;
    const { artefacts, outcome, report } = await scanWith(bare);
    expect(artefacts.dns!.mtaStsPolicy).toBeUndefined();
    expect(site.requests.slice(requestsBefore).some((r) => r.path.includes('mta-sts'))).toBe(false);
    expect(outcome('dnssec')).toBe('dnssec-unsigned');
    expect(outcome('caa')).toBe('caa-missing');
    expect(outcome('spf')).toBe('spf-missing');
    expect(outcome('dmarc')).toBe('dmarc-missing');
    expect(outcome('mta-sts')).toBe('mta-sts-missing');
    expect(outcome('tls-rpt')).toBe('tls-rpt-missing');
    const domain = report.categories.find((c) => c.category === 'domain')!;
    expect(domain.score).toBeLessThan(60);
    // The site's own score does not carry the domain's penalties.
    const siteOnly = report.checks.filter((c) => c.category !== 'domain' && c.scoreModifier < 0);
    expect(report.score).toBe(progressScore(siteOnly.map((c) => c.scoreModifier)));
  });

  it('tells a bogus answer (SERVFAIL, fine with CD) from an unsigned one', async () => {
    const { artefacts, outcome } = await scanWith(bogus, good);
    expect(artefacts.dns!.address.rcode).toBe('SERVFAIL');
    expect(artefacts.dns!.addressUnchecked?.rcode).toBe('NOERROR');
    expect(outcome('dnssec')).toBe('dnssec-bogus');
  });

  it('records a resolver that does not answer, and the domain checks report an error', async () => {
    const silent = createDnsClient({ servers: [`127.0.0.1:${await closedPort()}`], timeoutMs: 300 });
    const artefacts = await gather(site.httpsUrl!, { allowPrivate: true, ca: [site.pki.caPem], dns: silent });
    // An IP literal has no domain: no DNS artefact at all, even with a client.
    expect(artefacts.dns).toBeUndefined();
    const named = await gather(`https://www.vioscan.test:${site.httpsPort}/`, {
      allowPrivate: true,
      ca: [site.pki.caPem],
      resolver: resolverFor(good),
      dns: silent,
      dial: toSite(),
    });
    expect(named.dns?.error?.code).toBe('dns_failed');
    const report = analyze(named, {
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    });
    expect(report.checks.find((c) => c.id === 'spf')?.status).toBe('error');
  });

  it('never asks a resolver about special-use names or IP literals unless a client is injected', () => {
    expect(dnsEligible('www.vioscan.test')).toBe(false);
    expect(dnsEligible('localhost')).toBe(false);
    expect(dnsEligible('127.0.0.1')).toBe(false);
    expect(dnsEligible('[::1]')).toBe(false);
    expect(dnsEligible('www.example.com')).toBe(false);
    expect(dnsEligible('www.vioscan.dev')).toBe(true);
  });
});
