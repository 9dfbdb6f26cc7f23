/**
 * The guarded proxy on its own (the browser's use of it is in browser-e2e.test.ts): plain HTTP and
 * CONNECT reach a loopback site only with allowPrivate, through the address the guard checked; cloud
 * metadata, the proxy itself and a refuse-all proxy answer 403 and record why, never any header.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGuardedProxy, type GuardedProxy } from '../../../src/scanner/browser/proxy.ts';
import type { Resolver } from '../../../src/scanner/gather/guard.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';

let site: RunningSite;
const lookups: string[] = [];
/** Fixture names → loopback; metadata.fixture.test → the cloud metadata address. */
const resolver: Resolver = async (host) => {
  lookups.push(host);
  if (host === 'metadata.fixture.test') return [{ address: '169.254.169.254', family: 4 }];
  if (host.endsWith('.fixture.test')) return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};

beforeAll(async () => {
  site = await startTestSite({
    tls: false,
    routes: { '/hello': (req) => ({ body: `hello ${req.headers.host}`, headers: { 'x-seen': 'yes' } }) },
  });
});
afterAll(() => site.close());

function viaProxy(
  proxy: GuardedProxy,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const { host } = new URL(url);
  return new Promise((resolve, reject) => {
    const proxyUrl = new URL(proxy.url);
    http
      .get(
        { host: proxyUrl.hostname, port: proxyUrl.port, path: url, headers: { host, ...headers } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      )
      .on('error', reject);
  });
}

function connect(proxy: GuardedProxy, authority: string): Promise<string> {
  const proxyUrl = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(proxyUrl.port), proxyUrl.hostname, () => {
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nhost: ${authority}\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (c: Buffer) => {
      data += c.toString();
      if (data.includes('\r\n\r\n')) {
        const status = data.split('\r\n')[0]!;
        if (status.includes(' 200 ')) {
          // Through the tunnel: a plain request to the loopback site.
          socket.removeAllListeners('data');
          let answer = '';
          socket.on('data', (d: Buffer) => (answer += d.toString()));
          socket.on('end', () => resolve(`${status}\n${answer}`));
          socket.write(`GET /hello HTTP/1.1\r\nhost: shop.fixture.test\r\nconnection: close\r\n\r\n`);
        } else {
          socket.destroy();
          resolve(status);
        }
      }
    });
    socket.on('error', reject);
  });
}

describe('guarded proxy', () => {
  it('forwards plain HTTP to a fixture name resolved to loopback when private targets are allowed', async () => {
    const proxy = await startGuardedProxy({ allowPrivate: true, resolver });
    try {
      const url = `http://shop.fixture.test:${site.httpPort}/hello`;
      const res = await viaProxy(proxy, url, { 'proxy-authorization': 'Basic c2VjcmV0' });
      expect(res.status).toBe(200);
      expect(res.body).toBe(`hello shop.fixture.test:${site.httpPort}`);
      expect(res.headers['x-seen']).toBe('yes');
      // The hop-by-hop proxy credential never reaches the site.
      expect(site.requests.at(-1)?.headers['proxy-authorization']).toBeUndefined();
      expect(proxy.refused).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses loopback without allowPrivate, for plain HTTP and CONNECT, and records only URL and reason', async () => {
    const proxy = await startGuardedProxy({ resolver });
    const before = site.requests.length;
    try {
      const res = await viaProxy(proxy, `http://shop.fixture.test:${site.httpPort}/hello?q=1`, {
        cookie: 'sid=secret',
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatch(/target not allowed: shop\.fixture\.test resolves to .*loopback/);
      expect(await connect(proxy, `127.0.0.1:${site.httpPort}`)).toBe('HTTP/1.1 403 Forbidden');
      expect(site.requests.length).toBe(before);
      expect(proxy.refused).toEqual([
        {
          url: `http://shop.fixture.test:${site.httpPort}/hello?q=1`,
          reason: expect.stringMatching(/loopback/),
        },
        { url: `https://127.0.0.1:${site.httpPort}/`, reason: expect.stringMatching(/loopback/) },
      ]);
      expect(JSON.stringify(proxy.refused)).not.toContain('secret');
    } finally {
      await proxy.close();
    }
  });

  it('tunnels CONNECT to the checked address with allowPrivate', async () => {
    const proxy = await startGuardedProxy({ allowPrivate: true, resolver });
    try {
      const answer = await connect(proxy, `shop.fixture.test:${site.httpPort}`);
      expect(answer).toMatch(/^HTTP\/1\.1 200 Connection Established\nHTTP\/1\.1 200 OK/);
      expect(answer).toContain('hello shop.fixture.test');
    } finally {
      await proxy.close();
    }
  });

  it('with a one-origin exception (the self-scan), reaches that host and port only', async () => {
    const proxy = await startGuardedProxy({ allowPrivate: { origin: `http://127.0.0.1:${site.httpPort}` } });
    const other = await startTestSite({ tls: false, routes: { '/hello': { body: 'other' } } });
    try {
      const own = await viaProxy(proxy, `http://127.0.0.1:${site.httpPort}/hello`);
      expect(own.status).toBe(200);
      expect(own.body).toBe(`hello 127.0.0.1:${site.httpPort}`);
      expect(await connect(proxy, `127.0.0.1:${site.httpPort}`)).toMatch(
        /^HTTP\/1\.1 200 Connection Established/,
      );
      // Another port, another loopback address: refused, and nothing reached the other server.
      expect((await viaProxy(proxy, `http://127.0.0.1:${other.httpPort}/hello`)).status).toBe(403);
      expect(await connect(proxy, `127.0.0.1:${other.httpPort}`)).toBe('HTTP/1.1 403 Forbidden');
      expect(await connect(proxy, `127.0.0.2:${site.httpPort}`)).toBe('HTTP/1.1 403 Forbidden');
      expect(other.requests).toEqual([]);
      expect(proxy.refused.map((r) => r.reason)).toEqual([
        expect.stringMatching(/loopback address 127\.0\.0\.1/),
        expect.stringMatching(/loopback address 127\.0\.0\.1/),
        expect.stringMatching(/loopback address 127\.0\.0\.2/),
      ]);
    } finally {
      await proxy.close();
      await other.close();
    }
  });

  it('never reaches cloud metadata, by name or literal, even with allowPrivate', async () => {
    const proxy = await startGuardedProxy({ allowPrivate: true, resolver });
    try {
      const byName = await viaProxy(proxy, 'http://metadata.fixture.test/latest/meta-data/');
      expect(byName.status).toBe(403);
      expect(byName.body).toMatch(/cloud metadata/);
      expect(await connect(proxy, '169.254.169.254:443')).toBe('HTTP/1.1 403 Forbidden');
      expect(await connect(proxy, '[fd00:ec2::254]:80')).toBe('HTTP/1.1 403 Forbidden');
      expect(proxy.refused.map((r) => r.reason)).toEqual([
        expect.stringMatching(/cloud metadata/),
        expect.stringMatching(/cloud metadata/),
        expect.stringMatching(/metadata/),
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses its own address (no loop), malformed targets, and everything when told to', async () => {
    const proxy = await startGuardedProxy({ allowPrivate: true, resolver });
    const all = await startGuardedProxy({ refuseAll: 'browser traffic outside a visit' });
    try {
      const own = new URL(proxy.url);
      expect(await connect(proxy, `127.0.0.1:${own.port}`)).toBe('HTTP/1.1 403 Forbidden');
      expect(proxy.refused.at(-1)?.reason).toMatch(/own proxy/);
      expect(await connect(proxy, 'no-port-here')).toBe('HTTP/1.1 400 Bad Request');
      expect(await connect(all, 'update.googleapis.com:443')).toBe('HTTP/1.1 403 Forbidden');
      expect(all.refused).toEqual([
        { url: 'https://update.googleapis.com:443/', reason: 'browser traffic outside a visit' },
      ]);
      expect(lookups).not.toContain('update.googleapis.com');
    } finally {
      await proxy.close();
      await all.close();
    }
  });
});
