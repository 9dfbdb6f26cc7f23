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
  endpointOf,
  forbiddenName,
  isIpLiteral,
  normaliseUrl,
  privateAllowedFor,
  refused,
  reservedNameReason,
  type PrivateAccess,
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
    if (refused(verdict, allowPrivate)) {
      return { ok: false, error: notAllowed(host, verdict.reason ?? `address ${bare}`) };
    }
    return { ok: true, host: bare, addresses: [verdict.address] };
  }
  const reserved = reservedNameReason(bare);
  if (reserved && (!allowPrivate || forbiddenName(bare)))
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
    if (refused(verdict, allowPrivate)) {
      return { ok: false, error: notAllowed(host, `${bare} resolves to ${verdict.reason}`) };
    }
    addresses.push(verdict.address);
  }
  return { ok: true, host: bare, addresses };
}

/** Checks a URL against the whole policy (URL shape, every resolved address) without connecting. */
export async function checkTarget(
  url: string,
  options: { allowPrivate?: PrivateAccess; resolver?: Resolver } = {},
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
  const { host, port } = endpointOf(parsed.url);
  const pinned = await resolveAndCheck(
    parsed.url.hostname,
    privateAllowedFor(options.allowPrivate, host, port),
    options.resolver ?? defaultResolver,
  );
  return pinned.ok ? { ok: true, url: parsed.url.href, addresses: pinned.addresses } : pinned;
}

/** RFC 8305 §5: the recommended wait before racing the next address, when the previous one is slow. */
export const CONNECTION_ATTEMPT_DELAY_MS = 250;

/**
 * RFC 8305 §4: interleave the address families, IPv6 first (RFC 6724's default preference), each
 * family keeping the resolver's order: [v6a, v4a, v6b, v4b, …].
 */
export function happyEyeballsOrder(addresses: readonly string[]): string[] {
  const v6 = addresses.filter((a) => a.includes(':'));
  const v4 = addresses.filter((a) => !a.includes(':'));
  const out: string[] = [];
  for (let i = 0; i < Math.max(v6.length, v4.length); i++) {
    if (v6[i] !== undefined) out.push(v6[i]!);
    if (v4[i] !== undefined) out.push(v4[i]!);
  }
  return out;
}

/** Errors that say "this address is not reachable" rather than "this server said no". */
export const UNREACHABLE =
  /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|EAFNOSUPPORT|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/;

/**
 * undici's Client gives a connect error coded ERR_TLS_CERT_ALTNAME_INVALID a path of its own: it
 * rejects the requests queued on that connection but still counts them, so the connection never
 * drains and every request the pool queued behind it waits forever (a scan's parallel requests to
 * a wrong-host site hung until the probe deadline; nodejs/undici#5355). Wrapped under another
 * code, the same error takes the general path, which rejects every queued request; the original,
 * as `cause`, still tells the certificate problem (fetch-errors.ts reads the cause chain).
 */
export function outsideAltnamePath(err: Error & { code?: string }): Error {
  if (err.code !== 'ERR_TLS_CERT_ALTNAME_INVALID') return err;
  return Object.assign(new Error(err.message, { cause: err }), { code: 'VIOSCAN_TLS_HOSTNAME_MISMATCH' });
}

/**
 * The connector undici dials through: it never passes a name on. Names and IP literals alike go
 * through `pin` (resolve once, classify every address; the port is given for PrivateAccess's
 * one-endpoint exception); the dialler gets a checked IP as
 * `hostname` (bare, so Node never looks it up) and the original host as TLS `servername`
 * (RFC 6066 §3: never an IP, no trailing dot). Several addresses are raced like a browser does
 * (Happy Eyeballs, RFC 8305 §5): IPv6 first, the next address CONNECTION_ATTEMPT_DELAY_MS later or
 * as soon as the previous attempt fails; the first connection wins and the others are closed.
 */
export function guardedConnector(
  pin: (host: string, port: number) => Promise<PinResult>,
  dial: Dialler,
  onConnected?: (host: string, ip: string, port: number, socket: unknown) => void,
): Dialler {
  return (opts, callback) => {
    const host = bareHost(opts.hostname);
    const port = Number(opts.port || (opts.protocol === 'https:' ? 443 : 80));
    const cb = callback as (err: Error | null, socket: unknown) => void;
    void pin(host, port).then((result) => {
      if (!result.ok) return cb(new TargetNotAllowedError(result.error), null);
      const servername = isIpLiteral(host) ? undefined : host;
      const order = happyEyeballsOrder(result.addresses);
      let settled = false;
      let started = 0;
      let failed = 0;
      let timer: NodeJS.Timeout | undefined;
      const errors: (Error & { code?: string })[] = [];
      const finish = () => {
        // Report what the server said (a TLS failure) over "this address was unreachable".
        const telling = errors.find((e) => !UNREACHABLE.test(String(e.code))) ?? errors[0];
        cb(telling ? outsideAltnamePath(telling) : new Error(`no address to connect to for ${host}`), null);
      };
      const next = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (settled || started >= order.length) return;
        const ip = order[started++]!;
        if (started < order.length) timer = setTimeout(next, CONNECTION_ATTEMPT_DELAY_MS);
        dial({ ...opts, hostname: ip, ...(servername && { servername }) }, (err, socket) => {
          if (settled) {
            // Another address won the race: this late connection is not needed.
            (socket as { destroy?: () => void } | null)?.destroy?.();
            return;
          }
          if (err) {
            errors.push(err as Error & { code?: string });
            failed++;
            if (failed === order.length) {
              settled = true;
              return finish();
            }
            // A failed attempt starts the next one at once (RFC 8305 §5).
            next();
            return;
          }
          settled = true;
          if (timer) clearTimeout(timer);
          onConnected?.(result.host, ip, port, socket);
          cb(null, socket);
        });
      };
      next();
    });
  };
}
