/**
 * IPv6 targets go through the same guard as IPv4 ones, and a name with both AAAA and A records is
 * connected to like a browser does (Happy Eyeballs, RFC 8305): IPv6 first, the other family when
 * it fails or is slow. Loopback only: ::1 and 127.0.0.1, names from the stub DNS server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CONNECTION_ATTEMPT_DELAY_MS,
  guardedConnector,
  happyEyeballsOrder,
  type Dialler,
} from '../../../src/scanner/gather/guard.ts';
import { createSafeFetcher } from '../../../src/scanner/gather/safe-fetch.ts';
import { scan } from '../../../src/scanner/index.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { closedPort, startTestSite, type RunningSite } from '../../sites/site.ts';
import { resolverFor, startStubDns, type StubDns } from '../../sites/stub-dns.ts';

let v6: RunningSite;
let v4: RunningSite;
let dns: StubDns;
let freePort: number;

beforeAll(async () => {
  v6 = await startTestSite({ http: true, bind: { address: '::1' } });
  v4 = await startTestSite({ http: true });
  freePort = await closedPort();
  // AAAA answers come first in each entry, as a dual-stack resolver would give them.
  dns = await startStubDns({
    'v6-down.vioscan.test': { AAAA: ['::1'], A: ['127.0.0.1'] },
    'v4-down.vioscan.test': { AAAA: ['::1'], A: ['127.0.0.1'] },
    'only-v6.vioscan.test': { AAAA: ['::1'] },
  });
});

afterAll(async () => {
  await Promise.all([v6.close(), v4.close(), dns.close()]);
  await disposeTestPki();
});

describe('happyEyeballsOrder (RFC 8305 §4)', () => {
  it.each([
    [['127.0.0.1'], ['127.0.0.1']],
    [['::1'], ['::1']],
    [
      ['127.0.0.1', '::1'],
      ['::1', '127.0.0.1'],
    ],
    [
      ['10.0.0.1', '10.0.0.2', 'fd00::1', 'fd00::2', 'fd00::3'],
      ['fd00::1', '10.0.0.1', 'fd00::2', '10.0.0.2', 'fd00::3'],
    ],
  ])('%j → %j', (input, expected) => {
    expect(happyEyeballsOrder(input)).toEqual(expected);
  });
});

describe('IPv6 literals', () => {
  it('scans https://[::1]:port/ through the guard, TLS facts included', async () => {
    const { report, artefacts } = await scan(v6.httpsUrl!, { allowPrivate: true, ca: [v6.pki.caPem] });
    expect(report.error).toBeUndefined();
    expect(report.grade).not.toBeNull();
    expect(artefacts.page.final?.status).toBe(200);
    expect(artefacts.page.final?.remoteAddress).toBe('::1');
    expect(artefacts.tls?.certificate?.hostnameMatches).toBe(true);
    expect(artefacts.tls?.versions['TLSv1.3']).toBe(true);
  });

  it('still refuses ::1 without allowPrivate (control)', async () => {
    const { report } = await scan(v6.httpsUrl!, { ca: [v6.pki.caPem] });
    expect(report.error?.code).toBe('target_not_allowed');
    expect(report.grade).toBeNull();
  });
});

describe('names with AAAA and A records', () => {
  const fetcher = () =>
    createSafeFetcher({ allowPrivate: true, ca: [v4.pki.caPem], resolver: resolverFor(dns) });

  it('falls back to IPv4 when nothing answers on the IPv6 address', async () => {
    // v4's port is free on ::1, so the AAAA attempt is refused and the A attempt connects.
    const f = fetcher();
    const res = await f.request(`http://v6-down.vioscan.test:${v4.httpPort}/`);
    await f.close();
    expect(res).toMatchObject({ status: 200, remoteAddress: '127.0.0.1' });
  });

  it('prefers IPv6 when it answers', async () => {
    const f = fetcher();
    const res = await f.request(`http://v4-down.vioscan.test:${v6.httpPort}/`);
    await f.close();
    expect(res).toMatchObject({ status: 200, remoteAddress: '::1' });
  });

  it('reports a plain connection error when no address answers (control)', async () => {
    const f = fetcher();
    const res = await f.request(`http://v6-down.vioscan.test:${freePort}/`);
    await f.close();
    expect(res).toMatchObject({ error: { code: 'connect_failed' } });
  });

  it('scans an AAAA-only name over IPv6', async () => {
    const { report, artefacts } = await scan(`https://only-v6.vioscan.test:${v6.httpsPort}/`, {
      allowPrivate: true,
      ca: [v6.pki.caPem],
      resolver: resolverFor(dns),
    });
    expect(report.error).toBeUndefined();
    expect(artefacts.page.final?.remoteAddress).toBe('::1');
    expect(artefacts.tls?.certificate?.chainTrusted).toBe(true);
  });
});

describe('racing the address families (RFC 8305 §5)', () => {
  const pinBoth = async (host: string) => ({ ok: true as const, host, addresses: ['127.0.0.1', '::1'] });
  type Callback = (err: Error | null, socket: unknown) => void;
  const open = (connect: Dialler) =>
    new Promise<unknown>((resolve) =>
      connect({ hostname: 'dual.vioscan.test', protocol: 'http:', port: '80' }, (_err, s) => resolve(s)),
    );

  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts the IPv4 attempt after the delay when IPv6 hangs, and takes the first connection', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    let finishV6: (() => void) | undefined;
    const dial: Dialler = (opts, cb) => {
      calls.push(opts.hostname);
      if (opts.hostname === '::1')
        finishV6 = () => (cb as Callback)(null, { destroy: () => calls.push('closed') });
      else (cb as Callback)(null, { ipv4: true });
    };
    const socket = open(guardedConnector(pinBoth, dial));
    await vi.advanceTimersByTimeAsync(CONNECTION_ATTEMPT_DELAY_MS - 1);
    expect(calls).toEqual(['::1']);
    await vi.advanceTimersByTimeAsync(1);
    expect(await socket).toEqual({ ipv4: true });
    expect(calls).toEqual(['::1', '127.0.0.1']);
    // The IPv6 connection that completes after the race was lost is closed, not leaked.
    finishV6!();
    expect(calls.at(-1)).toBe('closed');
  });

  it('does not wait for the delay when the first attempt fails at once', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const dial: Dialler = (opts, cb) => {
      calls.push(opts.hostname);
      if (opts.hostname === '::1')
        (cb as Callback)(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), null);
      else (cb as Callback)(null, { ipv4: true });
    };
    const socket = open(guardedConnector(pinBoth, dial));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['::1', '127.0.0.1']);
    expect(await socket).toEqual({ ipv4: true });
  });

  it('reports what the server said over an unreachable address', async () => {
    const dial: Dialler = (opts, cb) =>
      (cb as Callback)(
        opts.hostname === '::1'
          ? Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })
          : Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
        null,
      );
    const err = await new Promise<Error | null>((resolve) =>
      guardedConnector(pinBoth, dial)(
        { hostname: 'dual.vioscan.test', protocol: 'https:', port: '443' },
        (...args) => resolve(args[0]),
      ),
    );
    expect((err as { code?: string }).code).toBe('CERT_HAS_EXPIRED');
  });
});
