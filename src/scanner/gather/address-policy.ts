/**
 * Where VIOscan may send a request: the URL policy and the IP address policy behind the SSRF
 * guard (safe-fetch.ts). Pure functions, no I/O, so the corpus tests can drive them directly.
 *
 * Rule (security-anchors B.1): an address is allowed only when ipaddr.js calls it `unicast`,
 * it is not IPv4-compatible IPv6 (`::/96`, which ipaddr.js calls unicast), not a cloud
 * metadata address, and every IPv4 address embedded in it (mapped, NAT64, 6to4, Teredo) is
 * itself allowed.
 *
 * Some addresses are `forbidden`: refused even when ALLOW_PRIVATE_TARGETS lets loopback and private
 * ranges through (a self-hosted instance scanning its own network must still never read instance
 * credentials). A metadata address is forbidden however it is spelt: literal, IPv4-mapped, NAT64,
 * IPv4-compatible, 6to4, Teredo, or as the last 32 bits of any IPv6 address (ISATAP, local NAT64
 * prefixes), and so is a name resolving to one.
 */
import ipaddr from 'ipaddr.js';

export const MAX_URL_LENGTH = 2048;
const MAX_HOSTNAME_LENGTH = 253;

export interface AddressVerdict {
  address: string;
  allowed: boolean;
  /** Human description of why it is refused, e.g. "loopback address 127.0.0.1". */
  reason?: string;
  /** Refused whatever ALLOW_PRIVATE_TARGETS says (cloud metadata in any spelling, unparseable). */
  forbidden?: true;
}

/** Addresses of instance metadata services, named explicitly so the reason says so (anchors B.5). */
const METADATA = new Map<string, string>([
  ['169.254.169.254', 'cloud metadata address'],
  ['169.254.170.2', 'cloud metadata address'],
  ['100.100.100.200', 'cloud metadata address'],
  ['fd00:ec2::254', 'cloud metadata address'],
  // Azure's WireServer (instance agent and DNS): not link-local, so no range would catch it.
  ['168.63.129.16', 'cloud metadata address'],
]);

/** Whether this address may be dialled: a forbidden one never, a private one only when allowed. */
export function refused(verdict: AddressVerdict, allowPrivate: boolean): boolean {
  return !verdict.allowed && (!allowPrivate || verdict.forbidden === true);
}

function isMetadataV4(v4: ipaddr.IPv4): boolean {
  return METADATA.has(v4.toString());
}

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'shared (CGNAT)',
  private: 'private',
  reserved: 'reserved',
  as112: 'reserved (AS112)',
  amt: 'reserved (AMT)',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
  rfc6145: 'IPv4-translated',
  benchmarking: 'benchmarking',
  as112v6: 'reserved (AS112)',
  deprecatedOrchid: 'reserved (ORCHID)',
  orchid2: 'reserved (ORCHIDv2)',
  droneRemoteIdProtocolEntityTags: 'reserved (DRIP)',
  segmentRouting: 'reserved (SRv6)',
};

const BENCHMARKING_V4 = ipaddr.parseCIDR('198.18.0.0/15');

function v4FromBytes(bytes: number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes.slice(0, 4));
}

/** IPv4 addresses carried inside an IPv6 address by a transition mechanism, with its name. */
function embeddedV4(v6: ipaddr.IPv6, range: string): { label: string; v4: ipaddr.IPv4[] } | undefined {
  const b = v6.toByteArray();
  switch (range) {
    case 'ipv4Mapped':
      return { label: 'IPv4-mapped', v4: [v4FromBytes(b.slice(12))] };
    case 'rfc6052': // NAT64, RFC 6052 §2.2: the last 32 bits for a /96 prefix
      return { label: 'NAT64', v4: [v4FromBytes(b.slice(12))] };
    case '6to4': // RFC 3056 §2: 2002:V4ADDR::/48
      return { label: '6to4', v4: [v4FromBytes(b.slice(2, 6))] };
    case 'teredo': {
      // RFC 4380 §4: server IPv4 in bits 32-63, client IPv4 obfuscated (XOR) in the last 32 bits
      const client = b.slice(12).map((x) => x ^ 0xff);
      return { label: 'Teredo', v4: [v4FromBytes(b.slice(4, 8)), v4FromBytes(client)] };
    }
    default:
      return undefined;
  }
}

function classifyV4(v4: ipaddr.IPv4): string | undefined {
  const text = v4.toString();
  const meta = METADATA.get(text);
  if (meta) return `${meta} ${text}`;
  const range = v4.range();
  if (range === 'unicast') return undefined;
  if (range === 'reserved' && v4.match(BENCHMARKING_V4)) return `benchmarking address ${text}`;
  return `${RANGE_NAMES[range] ?? range} address ${text}`;
}

/**
 * ipaddr.js reads `::127.0.0.1` as IPv4-mapped `::ffff:7f00:1` while it really is IPv4-compatible
 * `::7f00:1`: let the WHATWG serialiser (the one the HTTP client uses) rewrite dotted IPv6 first.
 */
function canonicalIpv6(raw: string): string {
  if (!raw.includes(':') || !raw.includes('.') || raw.includes('%')) return raw;
  try {
    return new URL(`http://[${raw}]/`).hostname.slice(1, -1);
  } catch {
    return raw;
  }
}

/** Classifies one resolved or literal address (brackets and zone ids tolerated). */
export function classifyAddress(input: string): AddressVerdict {
  const verdict = classifyPlain(input);
  if (verdict.forbidden || !verdict.address.includes(':')) return verdict;
  // The low 32 bits carry the IPv4 address in mapped, compatible, NAT64 (well-known and local-use
  // /96 prefixes, RFC 8215) and ISATAP forms: a metadata address there is no coincidence, and a
  // local NAT64 gateway would translate it even though the IPv6 address itself looks public.
  const low = v4FromBytes(ipaddr.parse(verdict.address).toByteArray().slice(12));
  if (!isMetadataV4(low)) return verdict;
  return {
    address: verdict.address,
    allowed: false,
    reason: `${verdict.reason ?? `address ${verdict.address}`} embedding cloud metadata address ${low.toString()}`,
    forbidden: true,
  };
}

function classifyPlain(input: string): AddressVerdict {
  const raw = canonicalIpv6(input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input);
  if (!ipaddr.isValid(raw))
    return { address: raw, allowed: false, reason: `unparseable address ${raw}`, forbidden: true };
  const parsed = ipaddr.parse(raw);
  if (parsed.kind() === 'ipv4') {
    const reason = classifyV4(parsed as ipaddr.IPv4);
    return {
      address: parsed.toString(),
      allowed: !reason,
      ...(reason && { reason }),
      ...(isMetadataV4(parsed as ipaddr.IPv4) && { forbidden: true as const }),
    };
  }
  const v6 = parsed as ipaddr.IPv6;
  const text = v6.toNormalizedString() === '0:0:0:0:0:0:0:0' ? '::' : v6.toString();
  const meta = METADATA.get(text);
  if (meta) return { address: text, allowed: false, reason: `${meta} ${text}`, forbidden: true };
  const range = v6.range();
  const embedded = embeddedV4(v6, range);
  if (embedded) {
    for (const v4 of embedded.v4) {
      const inner = classifyV4(v4);
      if (inner)
        return {
          address: text,
          allowed: false,
          reason: `${embedded.label} address ${text} embedding ${inner}`,
          ...(isMetadataV4(v4) && { forbidden: true as const }),
        };
    }
    // A public IPv4 reached through NAT64 (DNS64 networks) or mapped is as good as the IPv4 itself.
    return { address: text, allowed: true };
  }
  if (range !== 'unicast')
    return { address: text, allowed: false, reason: `${RANGE_NAMES[range] ?? range} address ${text}` };
  // IPv4-compatible IPv6 (RFC 4291 §2.5.5.1, deprecated): ipaddr.js calls ::7f00:1 unicast.
  const b = v6.toByteArray();
  if (b.slice(0, 12).every((x) => x === 0)) {
    const inner = classifyV4(v4FromBytes(b.slice(12))) ?? `address ${v4FromBytes(b.slice(12)).toString()}`;
    return { address: text, allowed: false, reason: `IPv4-compatible address ${text} embedding ${inner}` };
  }
  return { address: text, allowed: true };
}

export type UrlVerdict =
  { ok: true; url: URL } | { ok: false; code: 'invalid_url' | 'target_not_allowed'; message: string };

/**
 * Parses and normalises a URL VIOscan is asked to fetch (anchors B.2, B.4, B.7 step 1): the
 * WHATWG parser canonicalises decimal/octal/hex/short IPv4 forms, so every later decision is
 * taken on `url.hostname`, the same string the HTTP client connects with.
 */
export function normaliseUrl(input: string, base?: string | URL): UrlVerdict {
  if (input.length > MAX_URL_LENGTH)
    return { ok: false, code: 'invalid_url', message: `URL longer than ${MAX_URL_LENGTH} characters` };
  // The WHATWG parser silently drops tabs and newlines ("a\nb.com" becomes "ab.com"): refuse instead.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(input))
    return { ok: false, code: 'invalid_url', message: 'URL contains whitespace or control characters' };
  let url: URL;
  try {
    url = base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return { ok: false, code: 'invalid_url', message: 'not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      code: 'target_not_allowed',
      message: `scheme ${url.protocol.slice(0, 20)} is not allowed (only http and https)`,
    };
  }
  if (url.username || url.password)
    return {
      ok: false,
      code: 'target_not_allowed',
      message: 'URLs with credentials (user@host) are not allowed',
    };
  if (!url.hostname) return { ok: false, code: 'invalid_url', message: 'URL has no host' };
  if (url.hostname.length > MAX_HOSTNAME_LENGTH)
    return { ok: false, code: 'invalid_url', message: 'host name too long' };
  if (url.port === '0') return { ok: false, code: 'target_not_allowed', message: 'port 0 is not allowed' };
  url.hash = '';
  if (url.href.length > MAX_URL_LENGTH)
    return { ok: false, code: 'invalid_url', message: `URL longer than ${MAX_URL_LENGTH} characters` };
  return { ok: true, url };
}

/** The host as the resolver and classifier want it: no IPv6 brackets, no single trailing dot. */
export function bareHost(hostname: string): string {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return h.endsWith('.') && !ipaddr.isValid(h) ? h.slice(0, -1) : h;
}

export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(bareHost(host));
}

/** Names refused even with ALLOW_PRIVATE_TARGETS: those of metadata services. */
export function forbiddenName(host: string): boolean {
  return reservedNameReason(host)?.endsWith('cloud metadata name') ?? false;
}

/**
 * Names that must never be resolved through DNS for a scan (RFC 6761 §6.3: `localhost` and
 * `*.localhost` are loopback; GCP's metadata server names, anchors B.5).
 */
export function reservedNameReason(host: string): string | undefined {
  const h = bareHost(host).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return `${h} is a loopback name (RFC 6761)`;
  if (h === 'metadata.google.internal' || h === 'metadata') return `${h} is a cloud metadata name`;
  return undefined;
}

/**
 * Which private (loopback, RFC 1918…) targets a request may reach: none (`false`), any (`true`:
 * ALLOW_PRIVATE_TARGETS, --allow-private), or the one host and port of `origin` only — the self-scan
 * of BASE_URL (src/modules/self-scan), which is often loopback in development. The exception is an
 * exact endpoint: not another host on the same address, not another port, not wherever the page
 * links or redirects to. Forbidden addresses (cloud metadata) stay refused in every case.
 */
export type PrivateAccess = boolean | { origin: string };

/** The host (lower case, no brackets or trailing dot) and port (default filled in) a URL dials. */
export function endpointOf(url: URL): { host: string; port: number } {
  return {
    host: bareHost(url.hostname).toLowerCase(),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  };
}

/** Whether private addresses are allowed for a connection to `host`:`port` under `access`. */
export function privateAllowedFor(
  access: PrivateAccess | undefined,
  host: string,
  port: number | undefined,
): boolean {
  if (typeof access === 'boolean' || access === undefined) return access ?? false;
  if (port === undefined) return false;
  let origin: URL;
  try {
    origin = new URL(access.origin);
  } catch {
    return false;
  }
  const allowed = endpointOf(origin);
  return allowed.host === bareHost(host).toLowerCase() && allowed.port === port;
}
