/**
 * The guard against DNS answers (security-anchors B.3), using a real stub DNS server on
 * 127.0.0.1 queried through node:dns's Resolver: private answers, mixed A/AAAA, and rebinding.
 * "Public" answers are only ever dialled through a recording dialler that connects to loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget, createSafeFetcher } from '../../../src/scanner/gather/safe-fetch.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { resolverFor, startStubDns, type StubDns } from '../../sites/stub-dns.ts';
import { eventSink, forbiddenDialler, loopbackDialler, PUBLIC_V4, PUBLIC_V6 } from './helpers.ts';

let dns: StubDns;
let site: RunningSite;

beforeAll(async () => {
  dns = await startStubDns({
    'public.vioscan.test': { A: [PUBLIC_V4], AAAA: [PUBLIC_V6] },
    'private.vioscan.test': { A: ['10.0.0.7'] },
    'metadata.vioscan.test': { A: ['169.254.169.254'] },
    'mixed.vioscan.test': { A: [PUBLIC_V4], AAAA: ['::1'] },
    'mixed-a.vioscan.test': { A: [PUBLIC_V4, '192.168.0.10'] },
    'mapped.vioscan.test': { AAAA: ['::ffff:7f00:1'] },
    'compat.vioscan.test': { AAAA: ['::7f00:1'] },
    'empty.vioscan.test': {},
    // Rebinding: a public address first, loopback for every later query (TTL 0).
    'rebind.vioscan.test': (n) => ({ A: [n === 1 ? PUBLIC_V4 : '127.0.0.1'] }),
  });
  site = await startTestSite({
    routes: { '/': { headers: { 'content-type': 'text/plain' }, body: 'reached' } },
  });
});

afterAll(async () => {
  await dns.close();
  await site.close();
  await disposeTestPki();
});

describe('resolved addresses', () => {
  it.each([
    ['private.vioscan.test', 'resolves to private address 10.0.0.7'],
    ['metadata.vioscan.test', 'resolves to cloud metadata address 169.254.169.254'],
    ['mixed.vioscan.test', 'resolves to loopback address ::1'],
    ['mixed-a.vioscan.test', 'resolves to private address 192.168.0.10'],
    [
      'mapped.vioscan.test',
      'resolves to IPv4-mapped address ::ffff:7f00:1 embedding loopback address 127.0.0.1',
    ],
    [
      'compat.vioscan.test',
      'resolves to IPv4-compatible address ::7f00:1 embedding loopback address 127.0.0.1',
    ],
  ])('%s is refused because EVERY answer is checked', async (host, reason) => {
    const dialler = forbiddenDialler();
    const sink = eventSink();
    const fetcher = createSafeFetcher({ resolver: resolverFor(dns), dial: dialler.dial, ...sink });
    const chain = await fetcher.fetchChain(`https://${host}/`);
    await fetcher.close();
    expect(chain.error).toEqual({
      code: 'target_not_allowed',
      message: `target not allowed: ${host} ${reason}`,
    });
    expect(dialler.calls).toEqual([]);
    expect(sink.events.map((e) => e.host)).toEqual([host]);
  });

  it('a public answer is allowed by classification alone (checkTarget never connects)', async () => {
    const verdict = await checkTarget('https://public.vioscan.test/', { resolver: resolverFor(dns) });
    expect(verdict).toEqual({
      ok: true,
      url: 'https://public.vioscan.test/',
      addresses: [PUBLIC_V4, PUBLIC_V6],
    });
  });

  it('a name with no addresses is a DNS failure, not a crash', async () => {
    const a = await checkTarget('https://empty.vioscan.test/', { resolver: resolverFor(dns) });
    const b = await checkTarget('https://nxdomain.vioscan.test/', { resolver: resolverFor(dns) });
    expect(!a.ok && a.error.code).toBe('dns_failed');
    expect(!b.ok && b.error.code).toBe('dns_failed');
    expect(!b.ok && b.error.message).toMatch(/^could not resolve nxdomain\.vioscan\.test/);
  });
});

describe('DNS rebinding', () => {
  it('connects to the address it checked, never to a second resolution', async () => {
    // The dialler stands in for the network: it records the IP the guard chose and connects to loopback.
    const dialler = loopbackDialler({ [PUBLIC_V4]: '127.0.0.1' }, site.pki.caPem);
    const fetcher = createSafeFetcher({
      resolver: resolverFor(dns),
      dial: dialler.dial,
      ca: [site.pki.caPem],
    });
    const url = `https://rebind.vioscan.test:${site.httpsPort}/`;
    const first = await fetcher.request(url);
    // Force new connections: a fresh pool would re-resolve only if the guard did not pin.
    const second = await fetcher.request(url, { headers: { connection: 'close' } });
    const third = await fetcher.request(url);
    await fetcher.close();

    expect('error' in first ? first.error : first.body).toBe('reached');
    expect('error' in third ? third.error : third.status).toBe(200);
    expect('error' in second ? second.error : second.remoteAddress).toBe(PUBLIC_V4);
    expect(dialler.calls.every((ip) => ip === PUBLIC_V4)).toBe(true);
    expect(dialler.calls.length).toBeGreaterThanOrEqual(2);
    expect(dns.queries.get('rebind.vioscan.test/A')).toBe(1);

    // The stub really does rebind: a fresh check now sees loopback and refuses.
    const again = await checkTarget(url, { resolver: resolverFor(dns) });
    expect(!again.ok && again.error.message).toContain('resolves to loopback address 127.0.0.1');
  });
});
