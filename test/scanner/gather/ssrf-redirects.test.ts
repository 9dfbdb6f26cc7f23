/**
 * Redirects are re-checked hop by hop (security-anchors B.3): a public-looking site whose
 * redirects lead to loopback, metadata, credentials or other schemes must stop at the bad hop.
 * `www.vioscan.test` resolves (stub DNS) to a public address the recording dialler maps to the
 * loopback test site, so the guard believes it is talking to the internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFetcher, type SafeFetcher } from '../../../src/scanner/gather/safe-fetch.ts';
import { redirectTo, startTestSite, type RunningSite } from '../../sites/site.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { resolverFor, startStubDns, type StubDns } from '../../sites/stub-dns.ts';
import { eventSink, loopbackDialler, PUBLIC_V4, type RecordingDialler } from './helpers.ts';

let dns: StubDns;
let site: RunningSite;
let dialler: RecordingDialler;
let fetcher: SafeFetcher;
let sink: ReturnType<typeof eventSink>;

const host = 'www.vioscan.test';
const https = () => `https://${host}:${site.httpsPort}`;
const http = () => `http://${host}:${site.httpPort}`;

beforeAll(async () => {
  dns = await startStubDns({ [host]: { A: [PUBLIC_V4] }, 'evil.vioscan.test': { A: ['127.0.0.1'] } });
  const routes = {
    '/ok': { headers: { 'content-type': 'text/plain' }, body: 'final' },
    '/relative': redirectTo('/ok', 302),
    '/to-loopback': () => redirectTo(`http://127.0.0.1:${site.httpPort}/secret`),
    '/to-metadata': redirectTo('http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    '/to-evil-name': () => redirectTo(`http://evil.vioscan.test:${site.httpPort}/secret`),
    '/to-userinfo': () => redirectTo(`https://user:pw@${host}:${site.httpsPort}/ok`),
    '/to-gopher': redirectTo('gopher://127.0.0.1:6379/_FLUSHALL'),
    '/to-mapped': () => redirectTo(`http://[::ffff:127.0.0.1]:${site.httpPort}/secret`),
    '/loop': redirectTo('/loop', 307),
    '/secret': { body: 'internal secret' },
  };
  site = await startTestSite({
    http: true,
    routes,
    httpRoutes: { ...routes, '/start': () => redirectTo(`${https()}/to-loopback`) },
  });
  dialler = loopbackDialler({ [PUBLIC_V4]: '127.0.0.1' }, site.pki.caPem);
});

afterAll(async () => {
  await dns.close();
  await site.close();
  await disposeTestPki();
});

async function chainFor(url: string) {
  sink = eventSink();
  fetcher = createSafeFetcher({
    resolver: resolverFor(dns),
    dial: dialler.dial,
    ca: [site.pki.caPem],
    ...sink,
  });
  try {
    return await fetcher.fetchChain(url);
  } finally {
    await fetcher.close();
  }
}

const secretRequests = () => site.requests.filter((r) => r.path === '/secret').length;

describe('redirect hops are re-checked', () => {
  it('follows an allowed relative redirect and reads the final body', async () => {
    const chain = await chainFor(`${https()}/relative`);
    expect(chain.error).toBeUndefined();
    expect(chain.hops.map((h) => h.status)).toEqual([302, 200]);
    expect(chain.final?.body).toBe('final');
    expect(chain.final?.remoteAddress).toBe(PUBLIC_V4);
  });

  it.each([
    ['http → https → loopback literal', () => `${http()}/start`, 2, 'loopback address 127.0.0.1'],
    ['https → metadata', () => `${https()}/to-metadata`, 1, 'cloud metadata address 169.254.169.254'],
    [
      'https → name resolving to loopback',
      () => `${https()}/to-evil-name`,
      1,
      'evil.vioscan.test resolves to loopback address 127.0.0.1',
    ],
    ['https → IPv4-mapped loopback', () => `${https()}/to-mapped`, 1, 'embedding loopback address 127.0.0.1'],
    [
      'https → URL with credentials',
      () => `${https()}/to-userinfo`,
      1,
      'redirect refused: URLs with credentials',
    ],
    ['https → gopher:', () => `${https()}/to-gopher`, 1, 'redirect refused: scheme gopher:'],
  ])('%s stops at the bad hop', async (_name, start, hops, reason) => {
    const before = secretRequests();
    const chain = await chainFor(start());
    expect(chain.error?.code).toBe('target_not_allowed');
    expect(chain.error?.message).toContain(reason);
    expect(chain.hops).toHaveLength(hops);
    expect(chain.final).toBeUndefined();
    expect(secretRequests()).toBe(before);
    expect(sink.events).toHaveLength(1);
    expect(dialler.calls.every((ip) => ip === PUBLIC_V4)).toBe(true);
  });

  it('gives up after 5 redirects', async () => {
    const chain = await chainFor(`${https()}/loop`);
    expect(chain.error).toEqual({ code: 'too_many_redirects', message: 'more than 5 redirects' });
    expect(chain.hops).toHaveLength(6);
    expect(chain.hops.every((h) => h.status === 307)).toBe(true);
  });
});
