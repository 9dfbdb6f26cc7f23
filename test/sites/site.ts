/**
 * Loopback test sites for scanner tests: an HTTPS and/or HTTP server on 127.0.0.1 with routes
 * described as data. Nothing here listens on anything but loopback.
 *
 *   const site = await startTestSite({
 *     tls: 'valid',                                   // 'valid' | 'expired' | 'wrong-host' | 'self-signed' | 'ec' | false
 *     tlsVersions: { max: 'TLSv1.2' },                // e.g. a TLS 1.2-only server
 *     http: true,                                     // also a plain HTTP server (same routes unless httpRoutes)
 *     routes: { '/': { headers: { 'content-security-policy': "default-src 'self'" }, body: '<html>…' } },
 *     httpRoutes: { '*': redirectTo('https://127.0.0.1:PORT/') },
 *   });
 *   site.httpsUrl, site.httpUrl, site.requests, await site.close();
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { testPki, type TestPki } from './pki.ts';

export interface RouteSpec {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** gzip the body and send Content-Encoding: gzip. */
  gzip?: boolean;
  delayMs?: number;
  /** Write these bytes to the socket verbatim (hostile/malformed responses) and close. */
  raw?: string;
}

export type Route = RouteSpec | ((req: RecordedRequest, site: RunningSite) => RouteSpec);

export interface TestSiteSpec {
  tls?: 'valid' | 'expired' | 'wrong-host' | 'self-signed' | 'ec' | false;
  tlsVersions?: { min?: SecureVersion; max?: SecureVersion };
  /** OpenSSL cipher string for the HTTPS server (e.g. 'DEFAULT@SECLEVEL=0' to allow TLS 1.0). */
  ciphers?: string;
  /** PEM DH parameters for DHE suites. */
  dhparam?: string;
  /** Key-exchange groups the server accepts, OpenSSL list syntax (Node's `ecdhCurve`, e.g. 'X25519:P-384'). */
  groups?: string;
  /** Which certificates the server sends: the leaf and the CA (default), the leaf alone, or a stray certificate between them. */
  chain?: 'full' | 'leaf-only' | 'misordered';
  http?: boolean;
  routes?: Record<string, Route>;
  httpRoutes?: Record<string, Route>;
  /**
   * Where to listen (default 127.0.0.1, ports chosen by the OS). The Observatory benchmark gives each
   * site its own loopback address on ports 443/80 and a name: Observatory scans a host name only.
   * `address` must be loopback (127.0.0.0/8 or ::1); anything else is refused.
   */
  bind?: { address: string; httpsPort?: number; httpPort?: number; hostname?: string };
}

export interface RecordedRequest {
  scheme: 'http' | 'https';
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface RunningSite {
  httpsUrl?: string;
  httpUrl?: string;
  httpsPort?: number;
  httpPort?: number;
  /** The site's main URL: https when TLS is on, else http. */
  url: string;
  requests: RecordedRequest[];
  pki: TestPki;
  close(): Promise<void>;
}

export const redirectTo = (location: string, status = 301): RouteSpec => ({ status, headers: { location } });

export const DEFAULT_HTML =
  '<!doctype html><html><head><title>fixture</title></head><body><p>hello</p></body></html>';

function pick(routes: Record<string, Route> | undefined, path: string): Route | undefined {
  const pathname = path.split('?')[0]!;
  if (!routes)
    return pathname === '/'
      ? { headers: { 'content-type': 'text/html; charset=utf-8' }, body: DEFAULT_HTML }
      : undefined;
  return routes[path] ?? routes[pathname] ?? routes['*'];
}

function handler(scheme: 'http' | 'https', routes: Record<string, Route> | undefined, site: RunningSite) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const recorded: RecordedRequest = {
      scheme,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
    };
    site.requests.push(recorded);
    const route = pick(routes, recorded.path);
    const spec: RouteSpec =
      typeof route === 'function' ? route(recorded, site) : (route ?? { status: 404, body: 'not found' });
    const send = () => {
      if (spec.raw !== undefined) {
        res.socket?.end(spec.raw);
        return;
      }
      let body = typeof spec.body === 'string' ? Buffer.from(spec.body) : (spec.body ?? Buffer.alloc(0));
      const headers: Record<string, string | string[]> = { ...spec.headers };
      if (spec.gzip) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(spec.status ?? 200, { 'content-length': String(body.length), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (spec.delayMs) setTimeout(send, spec.delayMs).unref();
    else send();
  };
}

function listen(server: http.Server | https.Server, address = '127.0.0.1', port = 0): Promise<number> {
  if (!/^127\./.test(address) && address !== '::1')
    throw new Error(`test sites listen on loopback only, not ${address}`);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve((server.address() as AddressInfo).port));
  });
}

/** `https://host:port/` with the port left out when it is the scheme's default. */
function origin(scheme: 'http' | 'https', host: string, port: number): string {
  const name = host.includes(':') ? `[${host}]` : host;
  const fallback = scheme === 'https' ? 443 : 80;
  return `${scheme}://${name}${port === fallback ? '' : `:${port}`}/`;
}

export async function startTestSite(spec: TestSiteSpec = {}): Promise<RunningSite> {
  const pki = await testPki();
  const tlsKind = spec.tls === undefined ? 'valid' : spec.tls;
  const host = spec.bind?.hostname ?? spec.bind?.address ?? '127.0.0.1';
  const servers: (http.Server | https.Server)[] = [];
  const sockets = new Set<Socket>();
  const site: RunningSite = {
    url: '',
    requests: [],
    pki,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
  const track = (server: http.Server | https.Server, event: 'connection' | 'secureConnection') =>
    server.on(event, (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });

  if (tlsKind) {
    const leafName = (
      {
        valid: 'valid',
        expired: 'expired',
        'wrong-host': 'wrongHost',
        'self-signed': 'selfSigned',
        ec: 'ec',
      } as const
    )[tlsKind];
    const leaf = pki.leaves[leafName];
    const server = https.createServer(
      {
        key: leaf.key,
        cert:
          tlsKind === 'self-signed' || spec.chain === 'leaf-only'
            ? leaf.cert
            : spec.chain === 'misordered'
              ? leaf.cert + pki.leaves.wrongHost.cert + pki.caPem
              : leaf.cert + pki.caPem,
        ...(spec.dhparam && { dhparam: spec.dhparam }),
        ...(spec.groups && { ecdhCurve: spec.groups }),
        ...(spec.tlsVersions?.min && { minVersion: spec.tlsVersions.min }),
        ...(spec.tlsVersions?.max && { maxVersion: spec.tlsVersions.max }),
        ...(spec.ciphers && { ciphers: spec.ciphers }),
      },
      handler('https', spec.routes, site),
    );
    // TLS probes that fail their handshake must not print noise or crash the test process.
    server.on('tlsClientError', () => undefined);
    track(server, 'connection');
    servers.push(server);
    site.httpsPort = await listen(server, spec.bind?.address, spec.bind?.httpsPort);
    site.httpsUrl = origin('https', host, site.httpsPort);
  }
  if (spec.http || !tlsKind) {
    const server = http.createServer(handler('http', spec.httpRoutes ?? spec.routes, site));
    track(server, 'connection');
    servers.push(server);
    site.httpPort = await listen(server, spec.bind?.address, spec.bind?.httpPort);
    site.httpUrl = origin('http', host, site.httpPort);
  }
  site.url = site.httpsUrl ?? site.httpUrl!;
  return site;
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
