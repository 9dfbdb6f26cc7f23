/**
 * The SSRF guard: the ONE path for every outbound request VIOscan makes (page, redirects,
 * security.txt, probes, TLS handshakes; later webhooks and the browser's egress proxy).
 *
 *   const fetcher = createSafeFetcher({ allowPrivate?, ca?, extraHeaders?, timeouts?, ... });
 *   await fetcher.fetchChain(url, init?)  → FetchChain (redirects followed by hand, ≤ 5 hops, each re-checked)
 *   await fetcher.request(url, init?)     → ResponseArtefact | { error }   (one hop, no redirects)
 *   await fetcher.pin(host, port?)        → checked addresses for a host (what the TLS gatherer dials)
 *   await fetcher.close()                 → closes the one connection pool of this scan
 *   await checkTarget(url, options?)      → { ok, url, addresses } | { ok: false, error }  (no connection)
 *
 * How (security-anchors B.7): normalise the URL (address-policy.ts), resolve the host once per
 * fetcher with `dns.lookup(host, {all: true, verbatim: true})` (injectable), classify EVERY
 * address, and remember the checked addresses ("pin"). The undici Agent's connector never
 * receives a name: it is handed a pinned IP to dial, with the host kept as TLS servername, so a
 * second DNS answer (rebinding) can never be used, and IP literals — for which Node would never
 * call `lookup` — go through the same classifier. The socket-level `lookup` is guarded too, as
 * a fail-closed backstop. Blocked targets become `GatherError{code: 'target_not_allowed'}` and
 * an `ssrf.blocked` security event. `allowPrivate` lets loopback/private through (tests,
 * self-hosting) but never cloud metadata addresses.
 */
import type { LookupAddress } from 'node:dns';
import tls from 'node:tls';
import { Agent, buildConnector, request as undiciRequest } from 'undici';
import type { CertificateFacts, FetchChain, GatherError, Headers, ResponseArtefact } from '../types.ts';
import {
  bareHost,
  endpointOf,
  normaliseUrl,
  privateAllowedFor,
  type PrivateAccess,
} from './address-policy.ts';
import { readCapped } from './body.ts';
import { certificateFacts } from './tls-cert.ts';
import { certificateProblem, describeError, TargetNotAllowedError } from './fetch-errors.ts';
import {
  defaultResolver,
  guardedConnector,
  notAllowed,
  resolveAndCheck,
  sharedSecureContext,
  type ContextSettings,
  type Dialler,
  type PinResult,
  type Resolver,
} from './guard.ts';

export { checkTarget, guardedConnector, sharedSecureContext } from './guard.ts';
export type { ContextSettings, Dialler, PinResult, Resolver } from './guard.ts';

export interface SecurityEvent {
  type: 'ssrf.blocked';
  url: string;
  host: string;
  reason: string;
}

export interface SafeFetchOptions {
  /**
   * Let loopback, private, link-local… through (ALLOW_PRIVATE_TARGETS / --allow-private), or only to
   * one origin's host and port (`{ origin }`: the self-scan of BASE_URL). Metadata stays blocked.
   */
  allowPrivate?: PrivateAccess;
  /** Extra request headers (--header). Sent only to `host`, only over https unless `allowHttp`; never recorded. */
  extraHeaders?: { headers: Record<string, string>; host: string; allowHttp?: boolean };
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: string[];
  timeouts?: { connectMs?: number; headersMs?: number; totalMs?: number };
  maxBodyBytes?: number;
  maxRedirects?: number;
  connectionsPerOrigin?: number;
  userAgent?: string;
  /** Defaults to dns.lookup(host, {all: true, verbatim: true}). */
  resolver?: Resolver;
  /** Tests only: replaces the socket dialler; it receives the already-checked IP as `hostname`. */
  dial?: Dialler;
  /**
   * What a certificate that fails verification (untrusted, expired, wrong host) does: `fail` the
   * request (default: webhooks, site verification), or `continue` — the scanner's choice, since
   * a bad certificate is a finding, not the end of the scan: the host is fetched without
   * verification from then on (the SSRF guard unchanged), each such response says so in
   * `unverifiedTls`, and --header values are never sent to it.
   */
  untrustedCertificates?: 'fail' | 'continue';
  onSecurityEvent?: (event: SecurityEvent) => void;
}

export interface RequestInit {
  /** TRACE only for the active http-trace probe (one request, never followed). */
  method?: 'GET' | 'HEAD' | 'TRACE';
  headers?: Record<string, string>;
  /** Read and decode the body (capped). Default true. */
  readBody?: boolean;
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export type RequestResult = ResponseArtefact | { error: GatherError };

export interface SafeFetcher {
  fetchChain(url: string, init?: RequestInit): Promise<FetchChain>;
  request(url: string, init?: RequestInit): Promise<RequestResult>;
  /** `port`: the port to be dialled, which decides PrivateAccess's one-endpoint exception. */
  pin(hostname: string, port?: number): Promise<PinResult>;
  /**
   * The first full TLS handshake this fetcher's own requests made with `host:port` (the page's
   * connection), as the TLS gatherer would read it from a handshake of its own; undefined when
   * none has completed yet. Never a resumed session: it skips the host-name check (Node's
   * onConnectSecure) and carries no fresh verdict.
   */
  tlsConnection(host: string, port: number): TlsConnectionFacts | undefined;
  /** What the TLS gatherer needs to make its own handshakes with the same trust store. */
  readonly tlsOptions: {
    connectTimeoutMs: number;
    /** Extra trusted CA certificates (PEM), besides Node's bundled roots. */
    extraCas: string[];
    secureContext(settings?: ContextSettings): tls.SecureContext;
  };
  close(): Promise<void>;
  /** Closes the pool without waiting for requests in flight (they are aborted). */
  destroy(): Promise<void>;
}

export interface TlsConnectionFacts {
  protocol?: string;
  cipher?: string;
  /** certificateFacts() of the connection; an Error when the certificate could not be read. */
  certificate: CertificateFacts | undefined | Error;
}

export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (compatible; VIOscan/0.1; +https://github.com/vioscan/vioscan)';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  }
  return out;
}

export function createSafeFetcher(options: SafeFetchOptions = {}): SafeFetcher {
  const access = options.allowPrivate ?? false;
  const resolver = options.resolver ?? defaultResolver;
  const connectMs = options.timeouts?.connectMs ?? 5_000;
  const headersMs = options.timeouts?.headersMs ?? 10_000;
  const totalMs = options.timeouts?.totalMs ?? 30_000;
  const maxBody = options.maxBodyBytes ?? 2 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const ca = options.ca?.length ? options.ca : undefined;
  const pins = new Map<string, Promise<PinResult>>();
  /** Hosts whose certificate failed verification → the reason (only with untrustedCertificates: 'continue'). */
  const untrusted = new Map<string, string>();
  const hostKey = (hostname: string) => bareHost(hostname).toLowerCase();
  /** The address that last connected for each host: what ResponseArtefact.remoteAddress reports. */
  const connected = new Map<string, string>();

  const pin = (hostname: string, port?: number): Promise<PinResult> => {
    const allowPrivate = privateAllowedFor(access, hostname, port);
    // The verdict depends on the port only through the exception: one entry per (host, verdict).
    const key = `${bareHost(hostname).toLowerCase()} ${allowPrivate}`;
    let p = pins.get(key);
    if (!p) {
      p = resolveAndCheck(hostname, allowPrivate, resolver);
      pins.set(key, p);
    }
    return p;
  };

  // Backstop: the dialler is only ever handed IPs, so a name reaching the socket layer is a bug; fail closed.
  const refuseLookup = (
    hostname: string,
    _opts: unknown,
    cb: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    cb(
      new TargetNotAllowedError(notAllowed(hostname, `unexpected DNS lookup of ${hostname} at connect time`)),
      '',
      4,
    );
  };
  const connector = (rejectUnauthorized: boolean): Dialler =>
    buildConnector({
      secureContext: sharedSecureContext(ca),
      timeout: connectMs,
      lookup: refuseLookup,
      maxCachedSessions: 100,
      rejectUnauthorized,
    } as buildConnector.BuildOptions);
  /** host:port → the first full handshake's facts (tlsConnection). */
  const handshakes = new Map<string, TlsConnectionFacts>();
  const onConnected = (host: string, ip: string, port: number, socket: unknown) => {
    connected.set(host, ip);
    const key = `${host} ${port}`;
    if (handshakes.has(key) || !(socket instanceof tls.TLSSocket) || socket.isSessionReused()) return;
    let certificate: TlsConnectionFacts['certificate'];
    try {
      certificate = certificateFacts(socket, host.replace(/\.$/, ''));
    } catch (error) {
      certificate = error as Error;
    }
    handshakes.set(key, {
      ...(socket.getProtocol() && { protocol: socket.getProtocol()! }),
      ...(socket.getCipher()?.name && { cipher: socket.getCipher().name }),
      certificate,
    });
  };
  const agentFor = (dial: Dialler) =>
    new Agent({
      connect: guardedConnector(pin, dial, onConnected),
      connections: options.connectionsPerOrigin ?? 6,
      headersTimeout: headersMs,
      bodyTimeout: totalMs,
      maxHeaderSize: 64 * 1024,
    });
  const agent = agentFor(options.dial ?? connector(true));
  // A separate pool for hosts whose certificate failed: a request picks its pool (and whether
  // --header secrets go with it) up front, so no secret can ever ride an unverified connection.
  let unverifiedAgent: Agent | undefined;
  const poolFor = (relaxed: boolean) =>
    relaxed ? (unverifiedAgent ??= agentFor(options.dial ?? connector(false))) : agent;

  function securityEvent(url: string, host: string, error: GatherError): void {
    if (error.code === 'target_not_allowed')
      options.onSecurityEvent?.({ type: 'ssrf.blocked', url, host, reason: error.message });
  }

  function headersFor(url: URL, init: RequestInit, relaxed: boolean): Record<string, string> {
    const h: Record<string, string> = {
      'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
    };
    const extra = options.extraHeaders;
    // Secrets never travel over a connection whose certificate failed: anyone may be listening.
    if (
      extra &&
      hostKey(url.hostname) === hostKey(extra.host) &&
      !relaxed &&
      (url.protocol === 'https:' || extra.allowHttp)
    ) {
      for (const [k, v] of Object.entries(extra.headers)) h[k.toLowerCase()] = v;
    }
    for (const [k, v] of Object.entries(init.headers ?? {})) h[k.toLowerCase()] = v;
    return h;
  }

  async function request(input: string, init: RequestInit = {}): Promise<RequestResult> {
    const started = performance.now();
    const parsed = normaliseUrl(input);
    if (!parsed.ok) {
      const error =
        parsed.code === 'invalid_url'
          ? { code: 'invalid_url', message: parsed.message }
          : notAllowed(input, parsed.message);
      securityEvent(input, '', error);
      return { error };
    }
    const url = parsed.url;
    const pinned = await pin(url.hostname, endpointOf(url).port);
    if (!pinned.ok) {
      securityEvent(url.href, url.hostname, pinned.error);
      return { error: pinned.error };
    }
    const signal = init.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(totalMs)])
      : AbortSignal.timeout(totalMs);
    const key = hostKey(url.hostname);
    const relaxed = untrusted.has(key);
    try {
      const res = await undiciRequest(url, {
        dispatcher: poolFor(relaxed),
        method: init.method ?? 'GET',
        headers: headersFor(url, init, relaxed),
        signal,
      });
      const headers = toHeaders(res.headers);
      const artefact: ResponseArtefact = { url: url.href, status: res.statusCode, headers, timingMs: 0 };
      if (init.readBody === false || init.method === 'HEAD') {
        await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      } else {
        const body = await readCapped(res.body, {
          cap: init.maxBodyBytes ?? maxBody,
          contentType: headers['content-type']?.[0],
          contentEncoding: headers['content-encoding']?.[0],
        });
        if (body.text !== undefined) artefact.body = body.text;
        if (body.truncated) artefact.bodyTruncated = true;
      }
      const ip = connected.get(pinned.host);
      if (ip) artefact.remoteAddress = ip;
      const unverified = url.protocol === 'https:' ? untrusted.get(key) : undefined;
      if (unverified) artefact.unverifiedTls = unverified;
      artefact.timingMs = Math.round(performance.now() - started);
      return artefact;
    } catch (err) {
      const problem =
        options.untrustedCertificates === 'continue' && url.protocol === 'https:' && !relaxed
          ? certificateProblem(err)
          : undefined;
      if (problem) {
        // Record it (a parallel request may have already), then ask again without verification;
        // the TLS gatherer reports the certificate itself.
        if (!untrusted.has(key)) untrusted.set(key, problem);
        return request(input, init);
      }
      const error = describeError(err, url, totalMs);
      securityEvent(url.href, url.hostname, error);
      return { error };
    }
  }

  async function fetchChain(input: string, init: RequestInit = {}): Promise<FetchChain> {
    const chain: FetchChain = { requestedUrl: input, hops: [] };
    const deadline = AbortSignal.timeout(totalMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let current = input;
    const first = normaliseUrl(input);
    if (first.ok) chain.requestedUrl = first.url.href;
    for (let hop = 0; ; hop++) {
      const res = await request(current, { ...init, signal });
      if ('error' in res) {
        chain.error = res.error;
        return chain;
      }
      const location = res.headers.location?.[0];
      if (!REDIRECT_STATUSES.has(res.status) || location === undefined) {
        chain.hops.push(res);
        chain.final = res;
        return chain;
      }
      // A redirect's body is noise for every check; keep the hop's status and headers only.
      delete res.body;
      delete res.bodyTruncated;
      chain.hops.push(res);
      if (hop + 1 > maxRedirects) {
        chain.error = { code: 'too_many_redirects', message: `more than ${maxRedirects} redirects` };
        return chain;
      }
      const next = normaliseUrl(location, current);
      if (!next.ok) {
        chain.error =
          next.code === 'invalid_url'
            ? { code: 'invalid_url', message: `redirect to an invalid URL: ${next.message}` }
            : notAllowed(location, `redirect refused: ${next.message}`);
        securityEvent(location.slice(0, 200), '', chain.error);
        return chain;
      }
      current = next.url.href;
    }
  }

  return {
    fetchChain,
    request,
    pin,
    tlsConnection: (host, port) => handshakes.get(`${hostKey(host)} ${port}`),
    tlsOptions: {
      connectTimeoutMs: connectMs,
      extraCas: ca ?? [],
      secureContext: (settings) => sharedSecureContext(ca, settings),
    },
    close: async () => {
      await Promise.all([agent.close(), unverifiedAgent?.close()]);
    },
    destroy: async () => {
      await Promise.all([agent.destroy(), unverifiedAgent?.destroy()]);
    },
  };
}
