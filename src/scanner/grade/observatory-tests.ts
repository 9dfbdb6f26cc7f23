/**
 * Classify artefacts into the MDN HTTP Observatory's test results (algorithm version 4), re-implemented
 * from its published rules on our own parsers. Known gaps, documented in docs/scoring.md: no HSTS preload
 * list (so `hsts-preloaded` / `redirection-all-redirects-preloaded` are never awarded) and no
 * crossdomain.xml probe for CORS.
 */
import { getDomain } from 'tldts';
import { parseCspHeader, type CspPolicy } from '../parse/csp.ts';
import { parseHsts } from '../parse/hsts.ts';
import { parseSetCookie } from '../parse/set-cookie.ts';
import {
  chainFinal,
  finalResponse,
  headerValue,
  headerValues,
  isHttpsUrl,
  parseUrl,
  setCookieLines,
  structuredToken,
} from '../checks/helpers.ts';
import type { Artefacts } from '../types.ts';

const BROAD = new Set(['ftp:', 'http:', 'https:', '*', 'http://*', 'http://*.*', 'https://*', 'https://*.*']);
const INLINE = new Set(["'unsafe-inline'", 'data:']);
const NONCE_HASH = /^'(sha256-|sha384-|sha512-|nonce-)/;

/** Several policies: a directive's effective sources are those every policy setting it allows. */
function mergePolicies(policies: CspPolicy[]): Map<string, Set<string>> {
  const merged = new Map<string, Set<string>>();
  for (const policy of policies) {
    for (const d of policy.directives) {
      const values = new Set(d.values.map((v) => (v.startsWith("'") ? v.toLowerCase() : v)));
      const prior = merged.get(d.name);
      merged.set(d.name, prior ? new Set([...prior].filter((v) => values.has(v))) : values);
    }
  }
  return merged;
}

export function classifyCsp(a: Artefacts): string {
  const headers = finalResponse(a)?.headers;
  const headerPolicies = headerValues(headers, 'content-security-policy').flatMap(parseCspHeader);
  const metaPolicies = (a.html?.metaCsp ?? []).flatMap(parseCspHeader);
  if (headerPolicies.some((p) => p.directives.length === 0)) return 'csp-header-invalid';
  const all = [...headerPolicies, ...metaPolicies].filter((p) => p.directives.length > 0);
  if (all.length === 0) {
    return headerValues(headers, 'content-security-policy-report-only').length > 0
      ? 'csp-not-implemented-but-reporting-enabled'
      : 'csp-not-implemented';
  }
  const csp = mergePolicies(all);
  const get = (name: string, fallback = true) =>
    new Set(csp.get(name) ?? (fallback ? csp.get('default-src') : undefined) ?? ['*']);
  const script = get('script-src');
  const style = get('style-src');
  const object = get('object-src');
  for (const list of [script, style]) {
    if ([...list].some((s) => NONCE_HASH.test(s))) list.delete("'unsafe-inline'");
  }
  if (script.has("'strict-dynamic'")) {
    if (![...script].some((s) => NONCE_HASH.test(s))) return 'csp-header-invalid';
    for (const s of [...script]) {
      if ([...BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'")
        script.delete(s);
    }
  }
  const https = isHttpsUrl(finalResponse(a)?.url);
  const passiveNames = new Set(['img-src', 'media-src']);
  const active = [...csp.entries()]
    .filter(([name]) => !passiveNames.has(name) && name !== 'script-src')
    .flatMap(([, v]) => [...v])
    .concat([...script]);
  const passive = [...passiveNames].flatMap((n) => [...(csp.get(n) ?? csp.get('default-src') ?? [])]);
  const insecure = (s: string) => s.startsWith('http:') || s.startsWith('ftp:');
  if ([...script].some((s) => BROAD.has(s) || INLINE.has(s)) || [...object].some((s) => BROAD.has(s))) {
    return 'csp-implemented-with-unsafe-inline';
  }
  if (https && active.some(insecure)) return 'csp-implemented-with-insecure-scheme';
  if (script.has("'unsafe-eval'") || style.has("'unsafe-eval'")) return 'csp-implemented-with-unsafe-eval';
  if (https && passive.some(insecure)) return 'csp-implemented-with-insecure-scheme-in-passive-content-only';
  if ([...style].some((s) => BROAD.has(s) || INLINE.has(s)))
    return 'csp-implemented-with-unsafe-inline-in-style-src-only';
  const duplicates = all.some((p) => p.duplicates.length > 0);
  const defaultSrc = csp.get('default-src');
  if (defaultSrc?.size === 1 && defaultSrc.has("'none'")) {
    return duplicates
      ? 'csp-implemented-but-duplicate-directives'
      : 'csp-implemented-with-no-unsafe-default-src-none';
  }
  return duplicates ? 'csp-implemented-but-duplicate-directives' : 'csp-implemented-with-no-unsafe';
}

function hstsValid(a: Artefacts): boolean {
  const value = headerValues(finalResponse(a)?.headers, 'strict-transport-security')[0];
  return value !== undefined && parseHsts(value).valid;
}

export function classifyCookies(a: Artefacts): string {
  const cookies = setCookieLines(a).map(({ line }) => parseSetCookie(line));
  if (cookies.length === 0) return 'cookies-not-found';
  const hsts = hstsValid(a);
  const results: string[] = [];
  for (const c of cookies) {
    const name = c.name.toLowerCase();
    const session = name.includes('login') || name.includes('sess');
    const antiCsrf = name.includes('csrf');
    if (c.sameSiteRaw !== undefined && c.sameSite === undefined)
      results.push('cookies-samesite-flag-invalid');
    if (antiCsrf && c.sameSiteRaw === undefined) results.push('cookies-anticsrf-without-samesite-flag');
    if (!c.secure) {
      if (session)
        results.push(
          hsts
            ? 'cookies-session-without-secure-flag-but-protected-by-hsts'
            : 'cookies-session-without-secure-flag',
        );
      else
        results.push(
          hsts ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag',
        );
    }
    if (session && !c.httpOnly) results.push('cookies-session-without-httponly-flag');
  }
  if (results.length === 0) {
    return cookies.every((c) => c.sameSite !== undefined)
      ? 'cookies-secure-with-httponly-sessions-and-samesite'
      : 'cookies-secure-with-httponly-sessions';
  }
  // The worst problem decides, as only one result per test is scored.
  return results.reduce((w, r) => ((MOD[r] ?? 0) < (MOD[w] ?? 0) ? r : w));
}

const MOD: Record<string, number> = {
  'cookies-samesite-flag-invalid': -20,
  'cookies-anticsrf-without-samesite-flag': -20,
  'cookies-session-without-secure-flag-but-protected-by-hsts': -10,
  'cookies-session-without-secure-flag': -40,
  'cookies-without-secure-flag-but-protected-by-hsts': -5,
  'cookies-without-secure-flag': -20,
  'cookies-session-without-httponly-flag': -30,
};

export function classifyCors(a: Artefacts): string {
  const probe = a.cors;
  const allow = headerValue(probe?.headers, 'access-control-allow-origin')?.trim();
  if (!probe || !allow) return 'cross-origin-resource-sharing-not-implemented';
  const credentials =
    headerValue(probe.headers, 'access-control-allow-credentials')?.trim().toLowerCase() === 'true';
  if (allow === probe.origin && credentials)
    return 'cross-origin-resource-sharing-implemented-with-universal-access';
  if (allow === '*') return 'cross-origin-resource-sharing-implemented-with-public-access';
  return 'cross-origin-resource-sharing-implemented-with-restricted-access';
}

export function classifyRedirection(a: Artefacts): string {
  const chain = a.httpRedirect;
  if (!chain || chain.error || chain.hops.length === 0) return 'redirection-not-needed-no-http';
  if (a.tls?.certificate && !a.tls.certificate.chainTrusted) return 'redirection-invalid-cert';
  const start = parseUrl(chain.requestedUrl);
  const first = chain.hops[0];
  const location =
    first && first.status >= 300 && first.status < 400 ? headerValue(first.headers, 'location') : undefined;
  if (location === undefined) return 'redirection-missing';
  if (!isHttpsUrl(chainFinal(chain)?.url)) return 'redirection-not-to-https';
  const next = parseUrl(location, chain.requestedUrl);
  if (next?.protocol !== 'https:') return 'redirection-not-to-https-on-initial-redirection';
  if (next.hostname !== start?.hostname) return 'redirection-off-host-from-http';
  return 'redirection-to-https';
}

export function classifyReferrer(a: Artefacts): string {
  const raw = headerValues(finalResponse(a)?.headers, 'referrer-policy').join(',');
  if (raw.trim() === '') return 'referrer-policy-not-implemented';
  const tokens = raw.split(',').map((t) => t.trim().toLowerCase());
  const good = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
  const bad = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];
  const last = tokens.filter((t) => good.includes(t) || bad.includes(t)).pop();
  if (last === undefined) return 'referrer-policy-header-invalid';
  return good.includes(last) ? 'referrer-policy-private' : 'referrer-policy-unsafe';
}

export function classifyHsts(a: Artefacts): string {
  if (!isHttpsUrl(finalResponse(a)?.url)) return 'hsts-not-implemented-no-https';
  if (a.tls?.certificate && !a.tls.certificate.chainTrusted) return 'hsts-invalid-cert';
  const value = headerValues(finalResponse(a)?.headers, 'strict-transport-security')[0];
  if (value === undefined) return 'hsts-not-implemented';
  const hsts = parseHsts(value);
  if (!hsts.valid || hsts.maxAge === undefined) return 'hsts-header-invalid';
  return hsts.maxAge >= 15_768_000
    ? 'hsts-implemented-max-age-at-least-six-months'
    : 'hsts-implemented-max-age-less-than-six-months';
}

export function classifySri(a: Artefacts): string {
  const final = finalResponse(a);
  const type = headerValue(final?.headers, 'content-type') ?? '';
  if (!/text\/html|application\/xhtml\+xml/i.test(type)) return 'sri-not-implemented-response-not-html';
  if (!a.html || a.html.error) return 'html-not-parseable';
  const scripts = a.html.scripts;
  if (scripts.length === 0) return 'sri-not-implemented-but-no-scripts-loaded';
  const page = parseUrl(final?.url ?? a.target);
  const site = (host: string) => getDomain(host) ?? host;
  // "Similar origin" in Observatory: same registrable domain.
  const external = scripts.filter((s) => {
    const url = s.src.startsWith('//') ? undefined : parseUrl(s.src, page?.href);
    return url === undefined || site(url.hostname) !== site(page?.hostname ?? '');
  });
  if (external.length === 0) {
    return scripts.some((s) => s.integrity)
      ? 'sri-implemented-and-all-scripts-loaded-securely'
      : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin';
  }
  const secure = external.every(
    (s) => !s.src.startsWith('//') && parseUrl(s.src, page?.href)?.protocol === 'https:',
  );
  if (external.every((s) => s.integrity)) {
    return secure
      ? 'sri-implemented-and-external-scripts-loaded-securely'
      : 'sri-implemented-but-external-scripts-not-loaded-securely';
  }
  return secure
    ? 'sri-not-implemented-but-external-scripts-loaded-securely'
    : 'sri-not-implemented-and-external-scripts-not-loaded-securely';
}

export function classifyXcto(a: Artefacts): string {
  const raw = headerValues(finalResponse(a)?.headers, 'x-content-type-options');
  if (raw.length === 0) return 'x-content-type-options-not-implemented';
  return raw[0]?.split(',')[0]?.trim().toLowerCase() === 'nosniff'
    ? 'x-content-type-options-nosniff'
    : 'x-content-type-options-header-invalid';
}

export function classifyXfo(a: Artefacts): string {
  const headers = finalResponse(a)?.headers;
  const csp = mergePolicies(headerValues(headers, 'content-security-policy').flatMap(parseCspHeader));
  const ancestors = csp.get('frame-ancestors');
  if (ancestors && ![...ancestors].some((s) => BROAD.has(s))) return 'x-frame-options-implemented-via-csp';
  const xfo = headerValue(headers, 'x-frame-options')?.trim().toLowerCase();
  if (xfo === undefined) return 'x-frame-options-not-implemented';
  if (xfo === 'deny' || xfo === 'sameorigin') return 'x-frame-options-sameorigin-or-deny';
  if (xfo.startsWith('allow-from ')) return 'x-frame-options-allow-from-origin';
  return 'x-frame-options-header-invalid';
}

export function classifyCorp(a: Artefacts): string {
  const h = structuredToken(finalResponse(a)?.headers, 'cross-origin-resource-policy');
  if (h.kind === 'missing') return 'corp-not-implemented';
  const token = h.kind === 'token' ? h.token.toLowerCase() : '';
  if (token === 'same-origin') return 'corp-implemented-with-same-origin';
  if (token === 'same-site') return 'corp-implemented-with-same-site';
  if (token === 'cross-origin') return 'corp-implemented-with-cross-origin';
  return 'corp-header-invalid';
}

export const OBSERVATORY_TESTS: readonly { name: string; classify: (a: Artefacts) => string }[] = [
  { name: 'content-security-policy', classify: classifyCsp },
  { name: 'cookies', classify: classifyCookies },
  { name: 'cross-origin-resource-sharing', classify: classifyCors },
  { name: 'redirection', classify: classifyRedirection },
  { name: 'referrer-policy', classify: classifyReferrer },
  { name: 'strict-transport-security', classify: classifyHsts },
  { name: 'subresource-integrity', classify: classifySri },
  { name: 'x-content-type-options', classify: classifyXcto },
  { name: 'x-frame-options', classify: classifyXfo },
  { name: 'cross-origin-resource-policy', classify: classifyCorp },
];
