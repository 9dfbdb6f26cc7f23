/**
 * The guarded forward proxy every browser request goes through (DESIGN §7): plain HTTP in absolute
 * form and CONNECT tunnels (HTTPS, WebSockets), on 127.0.0.1. Each upstream host is resolved and
 * checked by the passive scanner's own guard (gather/guard.ts: private and loopback addresses only
 * with allowPrivate, cloud metadata never) and the connection dials the checked address, so a name
 * that answers differently on a second lookup (DNS rebinding) cannot steer it elsewhere.
 *
 * A refusal answers 403 and is recorded as `{url, reason}` (no header, cookie or body is ever kept).
 * TLS is not intercepted: the browser sees the origin's own certificate through the tunnel.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { privateAllowedFor, type PrivateAccess } from '../gather/address-policy.ts';
import { defaultResolver, happyEyeballsOrder, resolveAndCheck, type Resolver } from '../gather/guard.ts';

export interface GuardedProxyOptions {
  /** Private targets: none, all, or one origin's host and port (address-policy.ts, PrivateAccess). */
  allowPrivate?: PrivateAccess;
  resolver?: Resolver;
  /** Refuse every request with this reason (the browser-wide proxy: Chromium's own update and
   *  sign-in traffic has no business leaving the machine during a scan). */
  refuseAll?: string;
  /** Idle limit of an upstream connection. */
  idleMs?: number;
}

export interface Refusal {
  url: string;
  reason: string;
}

export interface GuardedProxy {
  /** `http://127.0.0.1:port`, for Chromium's proxy setting. */
  url: string;
  /** What was refused so far, in order (capped at MAX_REFUSALS). */
  refused: Refusal[];
  close(): Promise<void>;
}

const MAX_REFUSALS = 200;
const MAX_URL = 500;
/** RFC 9110 §7.6.1 hop-by-hop fields, plus the proxy's own: never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function forwardHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** host:port of a CONNECT request target (RFC 9110 §9.3.6), brackets kept off IPv6 literals. */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]/\s]+)):(\d{1,5})$/.exec(authority);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65_535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}

/** Dials the checked addresses in Happy Eyeballs order, one after the other, never a name. */
function dialPinned(addresses: string[], port: number, done: (err: Error | null, socket?: Socket) => void) {
  const order = happyEyeballsOrder(addresses);
  const attempt = (i: number, lastError?: Error) => {
    if (i >= order.length) return done(lastError ?? new Error('no address'));
    const socket = net.connect({ host: order[i]!, port });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      done(null, socket);
    });
    socket.once('error', (err) => {
      socket.destroy();
      attempt(i + 1, err);
    });
  };
  attempt(0);
}

export async function startGuardedProxy(options: GuardedProxyOptions = {}): Promise<GuardedProxy> {
  const resolver = options.resolver ?? defaultResolver;
  const idleMs = options.idleMs ?? 30_000;
  const refused: Refusal[] = [];
  const sockets = new Set<Socket>();
  let self = '';

  const refuse = (url: string, reason: string): string => {
    if (refused.length < MAX_REFUSALS) refused.push({ url: url.slice(0, MAX_URL), reason });
    return reason;
  };

  /** The guard's verdict for host:port; the proxy's own address is refused so a page cannot loop it. */
  const check = async (
    host: string,
    port: number,
    url: string,
  ): Promise<{ ok: true; addresses: string[] } | { ok: false; reason: string }> => {
    if (options.refuseAll) return { ok: false, reason: refuse(url, options.refuseAll) };
    const allowPrivate = privateAllowedFor(options.allowPrivate, host, port);
    const pinned = await resolveAndCheck(host, allowPrivate, resolver);
    if (!pinned.ok) return { ok: false, reason: refuse(url, pinned.error.message) };
    if (pinned.addresses.some((a) => `${a}:${port}` === self))
      return { ok: false, reason: refuse(url, 'target not allowed: the scanner’s own proxy') };
    return { ok: true, addresses: pinned.addresses };
  };

  const server = http.createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('absolute-form requests only\n');
      return;
    }
    if (target.protocol !== 'http:') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('http: only; https goes through CONNECT\n');
      return;
    }
    const port = Number(target.port || 80);
    void check(target.hostname, port, target.href).then((verdict) => {
      if (!verdict.ok) {
        res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' }).end(`${verdict.reason}\n`);
        return;
      }
      dialPinned(verdict.addresses, port, (err, socket) => {
        if (err || !socket) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream unreachable\n');
          return;
        }
        const upstream = http.request({
          createConnection: () => socket,
          method: req.method,
          path: `${target.pathname}${target.search}`,
          headers: forwardHeaders(req.rawHeaders),
          setHost: false,
          timeout: idleMs,
        });
        upstream.on('response', (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardHeaders(answer.rawHeaders));
          answer.pipe(res);
        });
        upstream.on('timeout', () => upstream.destroy(new Error('upstream idle')));
        upstream.on('error', () => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream failed\n');
          else res.destroy();
        });
        req.pipe(upstream);
      });
    });
  });

  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    client.on('error', () => client.destroy());
    const authority = parseAuthority(req.url ?? '');
    if (!authority) {
      client.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      return;
    }
    const shown = `https://${req.url}/`;
    void check(authority.host, authority.port, shown).then((verdict) => {
      if (!verdict.ok) {
        client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      dialPinned(verdict.addresses, authority.port, (err, upstream) => {
        if (err || !upstream) {
          client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
          return;
        }
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.setTimeout(idleMs, () => upstream.destroy());
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
    });
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  self = `127.0.0.1:${port}`;
  return {
    url: `http://${self}`,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
