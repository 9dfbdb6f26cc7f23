/**
 * TLS gatherer: the certificate facts of one handshake with default settings — the page's own
 * connection when the fetcher has made one to this endpoint (fetcher.tlsConnection), else one of
 * its own — then, unless the raw probes (tls-details.ts) already tell, one handshake per protocol
 * version (min = max = version) to learn what the server offers.
 * Dials only addresses the SSRF guard has checked (fetcher.pin), with the host as SNI.
 *
 * TLS 1.0/1.1 need `DEFAULT@SECLEVEL=0` because OpenSSL 3 refuses them at its default level;
 * when the local OpenSSL still cannot even try, the version is reported as null (untested),
 * not false — we must not claim a server refuses what we never offered.
 */
import tls from 'node:tls';
import type { TlsArtefact, TlsVersion } from '../types.ts';
import { isIpLiteral } from './address-policy.ts';
import { happyEyeballsOrder, UNREACHABLE } from './guard.ts';
import type { SafeFetcher } from './safe-fetch.ts';
import { certificateFacts } from './tls-cert.ts';
import { tlsReason } from './tls-reason.ts';

const VERSIONS: TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Errors raised by the local OpenSSL before the server had a say: the version is untestable here. */
const LOCAL_REFUSALS = new Set([
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_NO_CIPHERS_AVAILABLE',
  'ERR_SSL_NO_CIPHER_MATCH',
  'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED',
  'ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED',
  'ERR_TLS_INVALID_PROTOCOL_VERSION',
]);

interface Handshake {
  socket?: tls.TLSSocket;
  error?: { code?: string; message: string };
  timedOut?: boolean;
}

function handshake(opts: tls.ConnectionOptions, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve) => {
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect(opts);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      resolve({ error: { ...(e.code && { code: e.code }), message: e.message ?? String(error) } });
      return;
    }
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ timedOut: true });
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.once('error', (error: Error & { code?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error: { ...(error.code && { code: error.code }), message: error.message } });
    });
  });
}

export interface TlsGatherOptions {
  timeoutMs?: number;
  /**
   * Versions already learnt from raw ClientHellos (tls-details.ts): when it yields them, the
   * four per-version handshakes are skipped. Undefined from it: probe here as before.
   */
  versions?: () => Promise<Record<TlsVersion, boolean | null> | undefined>;
}

/** The host and port to probe for a target URL; undefined when the target has no TLS endpoint to test. */
export function tlsEndpoint(url: URL): { host: string; port: number } | undefined {
  if (url.protocol === 'https:') return { host: url.hostname, port: Number(url.port || 443) };
  if (url.port === '' || url.port === '80') return { host: url.hostname, port: 443 };
  return undefined;
}

export async function gatherTls(
  url: URL,
  fetcher: SafeFetcher,
  options: TlsGatherOptions = {},
): Promise<TlsArtefact | undefined> {
  const endpoint = tlsEndpoint(url);
  if (!endpoint) return undefined;
  const host = endpoint.host.startsWith('[') ? endpoint.host.slice(1, -1) : endpoint.host;
  const artefact: TlsArtefact = {
    host,
    port: endpoint.port,
    versions: { TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': null, 'TLSv1.3': null },
  };
  const pinned = await fetcher.pin(host, endpoint.port);
  if (!pinned.ok) return { ...artefact, error: pinned.error };
  const timeoutMs = options.timeoutMs ?? fetcher.tlsOptions.connectTimeoutMs * 2;
  const servername = isIpLiteral(host) ? undefined : host.replace(/\.$/, '');
  const base: tls.ConnectionOptions = {
    port: endpoint.port,
    ...(servername && { servername }),
    secureContext: fetcher.tlsOptions.secureContext(),
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
    // tls.connect never resolves an IP literal, but make certain no name lookup can happen here.
    lookup: (_h, _o, cb) => cb(new Error('unexpected DNS lookup in TLS gatherer'), '', 4),
  };

  // The raw probes come first: by the time they are in, the page's own connection has usually
  // made the same handshake (same trust store, ALPN and server name), and its facts are taken
  // instead of a handshake of our own. Without the probes' versions, this gatherer dials anyway.
  const known = await options.versions?.();
  const reused = known ? fetcher.tlsConnection(host, endpoint.port) : undefined;
  // Otherwise the first checked address that answers, in Happy Eyeballs order (RFC 8305 §4), is probed.
  let main: Handshake = { timedOut: true };
  if (!reused) {
    for (const ip of happyEyeballsOrder(pinned.addresses)) {
      base.host = ip;
      main = await handshake(base, timeoutMs);
      if (main.socket || !(main.timedOut || UNREACHABLE.test(String(main.error?.code)))) break;
    }
  }
  const readFacts = (facts: () => TlsArtefact['certificate']) => {
    try {
      artefact.certificate = facts();
    } catch (error) {
      artefact.error = {
        code: 'tls_failed',
        message: `could not read the certificate: ${(error as Error).message.slice(0, 200)}`,
      };
    }
  };
  if (reused) {
    if (reused.protocol) artefact.negotiatedVersion = reused.protocol;
    if (reused.cipher) artefact.cipher = reused.cipher;
    readFacts(() => {
      if (reused.certificate instanceof Error) throw reused.certificate;
      return reused.certificate;
    });
  } else if (main.socket) {
    artefact.negotiatedVersion = main.socket.getProtocol() ?? undefined;
    const cipher = main.socket.getCipher()?.name;
    if (cipher) artefact.cipher = cipher;
    readFacts(() => certificateFacts(main.socket!, servername ?? host));
    main.socket.destroy();
  } else if (main.timedOut) {
    return {
      ...artefact,
      error: { code: 'timeout', message: `TLS handshake with ${host}:${endpoint.port} timed out` },
    };
  } else if (main.error?.code === 'ECONNREFUSED') {
    return {
      ...artefact,
      error: { code: 'connect_failed', message: `connection to ${host}:${endpoint.port} refused` },
    };
  } else if (main.error?.code === 'ENOTFOUND' || main.error?.code === 'EHOSTUNREACH') {
    return {
      ...artefact,
      error: { code: 'connect_failed', message: `${host}:${endpoint.port} is unreachable` },
    };
  }

  const results = known
    ? VERSIONS.map((v) => known[v])
    : await Promise.all(
        VERSIONS.map(async (version) => {
          const legacy = version === 'TLSv1' || version === 'TLSv1.1';
          let secureContext: tls.SecureContext;
          try {
            secureContext = fetcher.tlsOptions.secureContext({
              minVersion: version,
              maxVersion: version,
              ...(legacy && { ciphers: 'DEFAULT@SECLEVEL=0' }),
            });
          } catch {
            return null; // the local OpenSSL cannot even be configured for this version
          }
          const probe = await handshake({ ...base, secureContext }, timeoutMs);
          if (probe.socket) {
            const offered = probe.socket.getProtocol() === version;
            probe.socket.destroy();
            return offered;
          }
          if (probe.timedOut || (probe.error?.code && LOCAL_REFUSALS.has(probe.error.code))) return null;
          if (probe.error?.code === 'ECONNREFUSED') return null;
          return false;
        }),
      );
  VERSIONS.forEach((v, i) => (artefact.versions[v] = results[i]!));
  if (!reused && !main.socket && !artefact.error) {
    const offered = results.some((r) => r === true);
    const reason = main.error ? tlsReason(main.error) : 'unknown error';
    artefact.error = {
      code: 'tls_failed',
      message: offered
        ? `TLS handshake failed: ${reason}`
        : `no TLS handshake possible with ${host}:${endpoint.port}: ${reason}`,
    };
  }
  return artefact;
}
