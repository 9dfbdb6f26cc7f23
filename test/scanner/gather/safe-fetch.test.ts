/**
 * The fetcher's behaviour on loopback sites (allowPrivate): limits, decoding, errors that read
 * plainly, extra-header scoping, trust store, and that one slow endpoint never stalls the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFetcher, type RequestResult } from '../../../src/scanner/gather/safe-fetch.ts';
import type { ResponseArtefact } from '../../../src/scanner/types.ts';
import { closedPort, redirectTo, startTestSite, type RunningSite } from '../../sites/site.ts';
import { disposeTestPki } from '../../sites/pki.ts';

let site: RunningSite;
let wrongHost: RunningSite;

const big = 'x'.repeat(3 * 1024 * 1024);

beforeAll(async () => {
  const routes = {
    '/big': { headers: { 'content-type': 'text/plain' }, body: big },
    '/gzip': { headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<p>zipped é</p>', gzip: true },
    '/bomb': { headers: { 'content-type': 'text/plain' }, body: '0'.repeat(20 * 1024 * 1024), gzip: true },
    '/latin1': {
      headers: { 'content-type': 'text/plain; charset=iso-8859-1' },
      body: Buffer.from([0x63, 0x61, 0x66, 0xe9]),
    },
    '/png': { headers: { 'content-type': 'image/png' }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    '/slow': { delayMs: 3000, body: 'slow' },
    '/fast': { body: 'fast' },
    '/cookies': {
      headers: { 'set-cookie': ['a=1; Secure', 'b=2; HttpOnly'], 'x-dup': ['one', 'two'] },
      body: '',
    },
    '/other-host': () => redirectTo(`https://localhost:${site.httpsPort}/echo`),
    '/echo': (req: { headers: Record<string, unknown> }) => ({
      body: String(req.headers['x-token'] ?? 'none'),
    }),
    '/broken': { raw: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc' },
  };
  site = await startTestSite({ http: true, routes });
  wrongHost = await startTestSite({ tls: 'wrong-host' });
});

afterAll(async () => {
  await site.close();
  await wrongHost.close();
  await disposeTestPki();
});

function ok(res: RequestResult): ResponseArtefact {
  if ('error' in res) throw new Error(`unexpected error ${res.error.code}: ${res.error.message}`);
  return res;
}

const fetcherWith = (extra: Parameters<typeof createSafeFetcher>[0] = {}) =>
  createSafeFetcher({ allowPrivate: true, ca: [site.pki.caPem], ...extra });

describe('bodies', () => {
  it('caps the body at 2 MiB and says it was truncated', async () => {
    const f = fetcherWith();
    const res = ok(await f.request(`${site.httpsUrl}big`));
    await f.close();
    expect(res.body).toHaveLength(2 * 1024 * 1024);
    expect(res.bodyTruncated).toBe(true);
  });

  it('decodes gzip and the declared charset', async () => {
    const f = fetcherWith();
    const zipped = ok(await f.request(`${site.httpsUrl}gzip`));
    const latin = ok(await f.request(`${site.httpsUrl}latin1`));
    await f.close();
    expect(zipped.body).toBe('<p>zipped é</p>');
    expect(latin.body).toBe('café');
  });

  it('stops a decompression bomb at the cap', async () => {
    const f = fetcherWith({ maxBodyBytes: 64 * 1024 });
    const res = ok(await f.request(`${site.httpsUrl}bomb`));
    await f.close();
    expect(res.body).toHaveLength(64 * 1024);
    expect(res.bodyTruncated).toBe(true);
  });

  it('keeps no body for non-text media types', async () => {
    const f = fetcherWith();
    const res = ok(await f.request(`${site.httpsUrl}png`));
    await f.close();
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined();
  });

  it('keeps every value of repeated headers, names lower-cased', async () => {
    const f = fetcherWith();
    const res = ok(await f.request(`${site.httpsUrl}cookies`));
    await f.close();
    expect(res.headers['set-cookie']).toEqual(['a=1; Secure', 'b=2; HttpOnly']);
    expect(res.headers['x-dup']).toEqual(['one', 'two']);
    expect(res.remoteAddress).toBe('127.0.0.1');
  });
});

describe('failures read plainly', () => {
  it('connection refused', async () => {
    const port = await closedPort();
    const f = fetcherWith();
    const chain = await f.fetchChain(`http://127.0.0.1:${port}/`);
    await f.close();
    expect(chain.error).toEqual({
      code: 'connect_failed',
      message: `connection to 127.0.0.1:${port} refused`,
    });
  });

  it('total timeout', async () => {
    const f = fetcherWith({ timeouts: { totalMs: 300 } });
    const started = Date.now();
    const chain = await f.fetchChain(`${site.httpsUrl}slow`);
    await f.close();
    expect(chain.error?.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a certificate for another host', async () => {
    const f = fetcherWith();
    const chain = await f.fetchChain(wrongHost.url);
    await f.close();
    expect(chain.error?.code).toBe('tls_failed');
    // In words (gather/tls-reason.ts), not node's or OpenSSL's text.
    expect(chain.error?.message).toMatch(/failed: the certificate is not valid for this host name$/);
  });

  it('an untrusted CA without --ca', async () => {
    const f = createSafeFetcher({ allowPrivate: true });
    const chain = await f.fetchChain(site.httpsUrl!);
    await f.close();
    expect(chain.error?.code).toBe('tls_failed');
  });

  it('a truncated response', async () => {
    const f = fetcherWith();
    const res = await f.request(`${site.httpsUrl}broken`);
    await f.close();
    expect('error' in res && res.error.code).toBe('connect_failed');
  });
});

describe('extra headers (--header)', () => {
  it('go to the target host over https only, never to another host after a redirect', async () => {
    const f = fetcherWith({ extraHeaders: { headers: { 'x-token': 't0k3n' }, host: '127.0.0.1' } });
    const direct = ok(await f.request(`${site.httpsUrl}echo`));
    const overHttp = ok(await f.request(`${site.httpUrl}echo`));
    const redirected = await f.fetchChain(`${site.httpsUrl}other-host`);
    await f.close();
    expect(direct.body).toBe('t0k3n');
    expect(overHttp.body).toBe('none');
    expect(redirected.final?.url).toBe(`https://localhost:${site.httpsPort}/echo`);
    expect(redirected.final?.body).toBe('none');
  });

  it('go over http when explicitly allowed', async () => {
    const f = fetcherWith({
      extraHeaders: { headers: { 'x-token': 't0k3n' }, host: '127.0.0.1', allowHttp: true },
    });
    const res = ok(await f.request(`${site.httpUrl}echo`));
    await f.close();
    expect(res.body).toBe('t0k3n');
  });
});

describe('parallel requests', () => {
  it('a slow endpoint does not stall a fast one on the same pool', async () => {
    const f = fetcherWith();
    const slow = f.request(`${site.httpsUrl}slow`);
    const t0 = Date.now();
    const fast = ok(await f.request(`${site.httpsUrl}fast`));
    const fastMs = Date.now() - t0;
    expect(fast.body).toBe('fast');
    expect(fastMs).toBeLessThan(2000);
    expect(ok(await slow).body).toBe('slow');
    await f.close();
  });
});
