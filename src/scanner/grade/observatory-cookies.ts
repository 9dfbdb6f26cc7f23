/**
 * Observatory's cookies test (algorithm version 4). It judges the cookies its client's cookie jar
 * (tough-cookie) kept after fetching the page and its redirects, so this file replays what such a
 * jar keeps (RFC 6265bis §5.6–5.7: a cookie needs a name, a Domain must cover the host and not
 * be a public suffix, the __Secure-/__Host- prefixes are enforced, a later cookie with the same
 * name, domain and path replaces an earlier one), then applies the test's rules in its order.
 */
import { getDomain } from 'tldts';
import { finalResponse, headerValues, pageResponses, parseUrl } from '../checks/helpers.ts';
import { parseSetCookie, type SetCookie } from '../parse/set-cookie.ts';
import type { Artefacts } from '../types.ts';

/** Results from least to most severe; a worse one replaces a better one. */
const ORDER = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
];

/** Cookies Observatory never judges (mozilla/http-observatory#282). */
const IGNORED = new Set(['heroku-session-affinity']);
// eslint-disable-next-line no-control-regex -- RFC 6265 forbids control characters in a cookie
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** RFC 6265 §5.1.4: the directory of the request path. */
function defaultPath(pathname: string): string {
  if (!pathname.startsWith('/')) return '/';
  const last = pathname.lastIndexOf('/');
  return last <= 0 ? '/' : pathname.slice(0, last);
}

/** What a jar stores from one Set-Cookie line received from `url`; undefined when it rejects it. */
function store(line: string, url: string): (SetCookie & { domain: string; path: string }) | undefined {
  const at = parseUrl(url);
  if (!at) return undefined;
  const pair = line.trim().split(';')[0] ?? '';
  // A cookie needs "name=" with a non-empty name (tough-cookie's strict parsing).
  if (pair.indexOf('=') <= 0 || CONTROL.test(pair)) return undefined;
  const cookie = parseSetCookie(line.trim());
  const host = at.hostname.toLowerCase();
  let domain = host;
  if (cookie.domain) {
    const covers = host === cookie.domain || host.endsWith(`.${cookie.domain}`);
    // A Domain that is itself a public suffix (no registrable domain) would span sites.
    if (!covers || getDomain(cookie.domain) === null) return undefined;
    domain = cookie.domain;
  }
  const path = cookie.path ?? defaultPath(at.pathname);
  if (cookie.name.startsWith('__Secure-') && !cookie.secure) return undefined;
  if (cookie.name.startsWith('__Host-') && (!cookie.secure || cookie.domain || path !== '/'))
    return undefined;
  return { ...cookie, domain, path };
}

function jar(a: Artefacts): SetCookie[] {
  const kept = new Map<string, SetCookie>();
  for (const response of pageResponses(a)) {
    for (const line of headerValues(response.headers, 'set-cookie')) {
      const cookie = store(line, response.url);
      if (cookie && !IGNORED.has(cookie.name))
        kept.set(JSON.stringify([cookie.domain, cookie.path, cookie.name]), cookie);
    }
  }
  return [...kept.values()];
}

/** A SameSite attribute with no value or an unknown one, read from the raw header as Observatory does. */
function invalidSameSite(line: string): boolean {
  return line
    .trim()
    .split(';')
    .some((part) => {
      const [key = '', value] = part.trim().split('=');
      if (key.trim().toLowerCase() !== 'samesite') return false;
      return !value || !['lax', 'strict', 'none'].includes(value.trim().toLowerCase());
    });
}

/** `hstsProtects`: the HSTS test passed (six months or more, or preloaded). */
export function classifyCookiesWith(a: Artefacts, hstsProtects: boolean): string {
  let result: string | undefined;
  const worse = (r: string) => {
    if (result === undefined || ORDER.indexOf(r) > ORDER.indexOf(result)) result = r;
  };
  for (const line of headerValues(finalResponse(a)?.headers, 'set-cookie')) {
    if (invalidSameSite(line)) worse('cookies-samesite-flag-invalid');
  }
  const cookies = jar(a);
  if (cookies.length === 0) return 'cookies-not-found';
  for (const c of cookies) {
    const name = c.name.toLowerCase();
    const session = name.includes('login') || name.includes('sess');
    const antiCsrf = name.includes('csrf');
    if (!c.secure && c.sameSite === 'none') worse('cookies-samesite-flag-invalid');
    if (!c.secure)
      worse(
        hstsProtects ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag',
      );
    if (antiCsrf && !c.sameSite) worse('cookies-anticsrf-without-samesite-flag');
    if (session && !c.secure)
      worse(
        hstsProtects
          ? 'cookies-session-without-secure-flag-but-protected-by-hsts'
          : 'cookies-session-without-secure-flag',
      );
    if (session && !c.httpOnly) worse('cookies-session-without-httponly-flag');
  }
  return (
    result ??
    (cookies.every((c) => c.sameSite)
      ? 'cookies-secure-with-httponly-sessions-and-samesite'
      : 'cookies-secure-with-httponly-sessions')
  );
}
