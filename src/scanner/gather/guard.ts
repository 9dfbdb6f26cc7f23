/**
 * The guard's core, shared by every egress path: resolve a host once, classify every address
 * (address-policy.ts), and a connector that only ever dials what was checked. safe-fetch.ts
 * builds the HTTP client on it; the TLS gatherer dials through `pin` and `sharedSecureContext`.
 */
import dns from 'node:dns';
import tls from 'node:tls';
import type { buildConnector } from 'undici';
import type { GatherError } from '../types.ts';
import {
  bareHost,
  classifyAddress,
  isIpLiteral,
  normaliseUrl,
  reservedNameReason,
} from './address-policy.ts';
import { TargetNotAllowedError } from './fetch-errors.ts';

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;
export type Dialler = buildConnector.connector;

export type PinResult = { ok: true; host: string; addresses: string[] } | { ok: false; error: GatherError };

export interface ContextSettings {
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
}

const contexts = new Map<string, tls.SecureContext>();

/**
 * Secure contexts are cached per process: building one with extra CAs means parsing every
 * bundled root (~70 ms), which per connection would dominate a loopback scan.
 */
export function sharedSecureContext(
  ca: string[] | undefined,
  settings: ContextSettings = {},
): tls.SecureContext {
  const key = JSON.stringify([ca ?? null, settings.minVersion, settings.maxVersion, settings.ciphers]);
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({ ...(ca && { ca: [...tls.rootCertificates, ...ca] }), ...settings });
    if (contexts.size >= 32) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, ctx);
  }
  return ctx;
}

export const defaultResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

export function notAllowed(url: string, message: string): GatherError {
  return { code: 'target_not_allowed', message: `target not allowed: ${message}` };
}

/** Resolves and classifies a host without connecting. The same policy the fetcher enforces. */
export async function resolveAndCheck(
  host: string,
  allowPrivate: boolean,
  resolver: Resolver,
): Promise<PinResult> {
  const bare = bareHost(host).toLowerCase();
  if (isIpLiteral(bare)) {
    const verdict = classifyAddress(bare);
    if (
      !verdict.allowed &&
      (!allowPrivate ||
        verdict.reason?.startsWith('cloud metadata') ||
        verdict.reason?.startsWith('unparseable'))
    ) {
      return { ok: false, error: notAllowed(host, verdict.reason ?? `address ${bare}`) };
    }
    return { ok: true, host: bare, addresses: [verdict.address] };
  }
  const reserved = reservedNameReason(bare);
  if (reserved && (!allowPrivate || reserved.includes('metadata')))
    return { ok: false, error: notAllowed(host, reserved) };
  let answers: { address: string }[];
  try {
    answers = await resolver(bare);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    return { ok: false, error: { code: 'dns_failed', message: `could not resolve ${bare} (${code})` } };
  }
  if (answers.length === 0)
    return { ok: false, error: { code: 'dns_failed', message: `${bare} has no addresses` } };
  const addresses: string[] = [];
  for (const { address } of answers) {
    const verdict = classifyAddress(address);
    const hardBlock =
      verdict.reason?.startsWith('cloud metadata') || verdict.reason?.startsWith('unparseable');
    if (!verdict.allowed && (!allowPrivate || hardBlock)) {
      return { ok: false, error: notAllowed(host, `${bare} resolves to ${verdict.reason}`) };
    }
    addresses.push(verdict.address);
  }
  return { ok: true, host: bare, addresses };
}

/** Checks a URL against the whole policy (URL shape, every resolved address) without connecting. */
export async function checkTarget(
  url: string,
  options: { allowPrivate?: boolean; resolver?: Resolver } = {},
): Promise<{ ok: true; url: string; addresses: string[] } | { ok: false; error: GatherError }> {
  const parsed = normaliseUrl(url);
  if (!parsed.ok)
    return {
      ok: false,
      error:
        parsed.code === 'invalid_url'
          ? { code: 'invalid_url', message: parsed.message }
          : notAllowed(url, parsed.message),
    };
  const pinned = await resolveAndCheck(
    parsed.url.hostname,
    options.allowPrivate ?? false,
    options.resolver ?? defaultResolver,
  );
  return pinned.ok ? { ok: true, url: parsed.url.href, addresses: pinned.addresses } : pinned;
}

/**
 * The connector undici dials through: it never passes a name on. Names and IP literals alike go
 * through `pin` (resolve once, classify every address); the dialler gets a checked IP as
 * `hostname` and the original host as TLS `servername` (RFC 6066 §3: never an IP, no trailing dot).
 */
export function guardedConnector(
  pin: (host: string) => Promise<PinResult>,
  dial: Dialler,
  onConnected?: (host: string, ip: string) => void,
): Dialler {
  return (opts, callback) => {
    const host = bareHost(opts.hostname);
    const cb = callback as (err: Error | null, socket: unknown) => void;
    void pin(host).then((result) => {
      if (!result.ok) return cb(new TargetNotAllowedError(result.error), null);
      const servername = isIpLiteral(host) ? undefined : host;
      const attempt = (i: number) => {
        const ip = result.addresses[i]!;
        dial(
          { ...opts, hostname: ip.includes(':') ? `[${ip}]` : ip, ...(servername && { servername }) },
          (err, socket) => {
            // Try the next checked address only when this one could not be reached at all.
            const code = String((err as { code?: string } | null)?.code);
            if (
              err &&
              /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT)$/.test(code) &&
              i + 1 < result.addresses.length
            ) {
              return attempt(i + 1);
            }
            if (!err) onConnected?.(result.host, ip);
            cb(err, socket);
          },
        );
      };
      attempt(0);
    });
  };
}
