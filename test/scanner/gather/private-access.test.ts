/**
 * PrivateAccess's one-origin exception (the self-scan of a loopback BASE_URL): the exact host and
 * port of the origin are reachable with ALLOW_PRIVATE_TARGETS off; a redirect from there to another
 * private host, another port or another name for the same address is refused at that hop, and
 * cloud metadata stays forbidden even when named as the origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateAllowedFor } from '../../../src/scanner/gather/address-policy.ts';
import { checkTarget, createSafeFetcher } from '../../../src/scanner/gather/safe-fetch.ts';
import { redirectTo, startTestSite, type RunningSite } from '../../sites/site.ts';

describe('privateAllowedFor', () => {
  const origin = { origin: 'http://127.0.0.1:3000' };
  it.each([
    [false, '127.0.0.1', 3000, false],
    [true, '10.0.0.1', 22, true],
    [origin, '127.0.0.1', 3000, true],
    [origin, '127.0.0.1', 3001, false],
    [origin, '127.0.0.2', 3000, false],
    [origin, 'localhost', 3000, false],
    [origin, '127.0.0.1', undefined, false],
    [{ origin: 'https://VIOSCAN.test' }, 'vioscan.test', 443, true],
    [{ origin: 'https://vioscan.test' }, 'vioscan.test', 80, false],
    [{ origin: 'http://[::1]:8080' }, '[::1]', 8080, true],
    [{ origin: 'not a url' }, '127.0.0.1', 80, false],
  ] as const)('%j allows %s:%s → %s', (access, host, port, expected) => {
    expect(privateAllowedFor(access, host, port)).toBe(expected);
  });

  it('never lets cloud metadata through, even as the excepted origin', async () => {
    const checked = await checkTarget('http://169.254.169.254/latest/meta-data/', {
      allowPrivate: { origin: 'http://169.254.169.254' },
    });
    expect(checked).toMatchObject({ ok: false, error: { code: 'target_not_allowed' } });
    expect(!checked.ok && checked.error.message).toMatch(/cloud metadata/);
  });
});

describe('redirects from the excepted origin', () => {
  let base: RunningSite;
  let other: RunningSite;
  let otherHost: RunningSite;
  beforeAll(async () => {
    other = await startTestSite({ tls: false, routes: { '/secret': { body: 'internal secret' } } });
    otherHost = await startTestSite({
      tls: false,
      bind: { address: '127.0.0.2' },
      routes: { '/secret': { body: 'internal secret' } },
    });
    base = await startTestSite({
      tls: false,
      routes: {
        '/': { body: 'the instance' },
        '/to-other-host': () => redirectTo(`http://127.0.0.2:${otherHost.httpPort}/secret`, 302),
        '/to-other-port': () => redirectTo(`http://127.0.0.1:${other.httpPort}/secret`, 302),
        '/to-other-name': () => redirectTo(`http://localhost:${base.httpPort}/`, 302),
        '/to-self': redirectTo('/', 302),
      },
    });
  });
  afterAll(async () => {
    await base.close();
    await other.close();
    await otherHost.close();
  });

  async function chain(path: string) {
    const fetcher = createSafeFetcher({ allowPrivate: { origin: base.url } });
    try {
      return await fetcher.fetchChain(new URL(path, base.url).href);
    } finally {
      await fetcher.close();
    }
  }

  it('reaches the origin itself, and follows a redirect that stays on it', async () => {
    const res = await chain('/to-self');
    expect(res.error).toBeUndefined();
    expect(res.hops.map((h) => h.status)).toEqual([302, 200]);
    expect(res.final?.body).toBe('the instance');
  });

  it('refuses the same origin without the exception (ALLOW_PRIVATE_TARGETS off, no self-scan)', async () => {
    const fetcher = createSafeFetcher();
    const before = base.requests.length;
    try {
      const res = await fetcher.fetchChain(base.url);
      expect(res.error?.code).toBe('target_not_allowed');
    } finally {
      await fetcher.close();
    }
    expect(base.requests.length).toBe(before);
  });

  it.each([
    ['another private host', '/to-other-host', /loopback address 127\.0\.0\.2/],
    ['another port of the same host', '/to-other-port', /loopback address 127\.0\.0\.1/],
    ['another name for the same address', '/to-other-name', /localhost is a loopback name/],
  ])('stops a redirect to %s at that hop', async (_name, path, reason) => {
    const before = {
      base: base.requests.length,
      other: other.requests.length,
      host: otherHost.requests.length,
    };
    const res = await chain(path);
    expect(res.hops.map((h) => h.status)).toEqual([302]);
    expect(res.error?.code).toBe('target_not_allowed');
    expect(res.error?.message).toMatch(reason);
    expect(res.final).toBeUndefined();
    // Only the first hop reached the origin; nothing reached the other servers.
    expect(base.requests.length).toBe(before.base + 1);
    expect(other.requests.length).toBe(before.other);
    expect(otherHost.requests.length).toBe(before.host);
  });
});
