/**
 * Our artefacts → the MDN HTTP Observatory's ten test results (algorithm version 4), rebuilt from
 * its published rules (its documentation and its score table) and checked against the real
 * Observatory by `npm run bench:observatory`. Each classifier reads the scan as Observatory's
 * client would see it (observatory-view.ts). Where Observatory's code contradicts its own
 * documentation or what browsers do, we follow the documentation: those deliberate differences
 * are marked "Deliberate" here and listed with their reasons in docs/scoring.md.
 */
import { chainFinal, finalResponse, parseUrl } from '../checks/helpers.ts';
import type { Artefacts } from '../types.ts';
import { analyseCsp, BROAD, classifyCsp } from './observatory-csp.ts';
import { classifyCookiesWith } from './observatory-cookies.ts';
import { classifySri } from './observatory-sri.ts';
import { chainVerified, clientHeader, metaReferrer } from './observatory-view.ts';

/**
 * Six months as Observatory's documentation states it ("a minimum of six months (15768000)").
 * Deliberate: its code accepts 15552000 (180 days), "a white lie".
 */
export const SIX_MONTHS = 15_768_000;

/** Whether the preload list covers `host` (Observatory asks about the target and each redirect hop). */
function preloaded(a: Artefacts, host: string | undefined): boolean {
  return a.hstsPreload?.hosts.some((h) => h.host === host && h.entry !== undefined) ?? false;
}

export function classifyHsts(a: Artefacts): string {
  const https = a.page.requestedUrl.startsWith('https:') ? finalResponse(a) : undefined;
  if (!https) return 'hsts-not-implemented-no-https';
  // Observatory: a preloaded host passes whatever its header (or certificate) says.
  if (preloaded(a, parseUrl(a.target)?.hostname)) return 'hsts-preloaded';
  if (!chainVerified(a.page)) return 'hsts-invalid-cert';
  const header = clientHeader(https.headers, 'strict-transport-security');
  if (header === undefined) return 'hsts-not-implemented';
  const value = header.slice(0, 1024);
  // A comma means the header was sent more than once: Observatory calls that invalid.
  if (value.includes(',')) return 'hsts-header-invalid';
  let maxAge: number | undefined;
  for (const directive of value.split(';').map((p) => p.trim().toLowerCase())) {
    if (!directive.startsWith('max-age=')) continue;
    // Deliberate: a value that is not a number of seconds (RFC 6797 §6.1.1, quotes allowed) makes
    // browsers ignore the header; Observatory's code parses it to NaN and passes it.
    const digits = /^"?(\d+)"?$/.exec(directive.slice(8, 128))?.[1];
    if (digits === undefined) return 'hsts-header-invalid';
    maxAge = Number(digits);
  }
  if (maxAge === undefined) return 'hsts-header-invalid';
  return maxAge < SIX_MONTHS
    ? 'hsts-implemented-max-age-less-than-six-months'
    : 'hsts-implemented-max-age-at-least-six-months';
}

const HSTS_PASSES = new Set(['hsts-implemented-max-age-at-least-six-months', 'hsts-preloaded']);

export function classifyCookies(a: Artefacts): string {
  return classifyCookiesWith(a, HSTS_PASSES.has(classifyHsts(a)));
}

export function classifyCors(a: Artefacts): string {
  const probe = a.cors;
  const allow = clientHeader(probe?.headers, 'access-control-allow-origin');
  if (!probe || !allow) return 'cross-origin-resource-sharing-not-implemented';
  if (allow.slice(0, 256).trim().toLowerCase() === '*')
    return 'cross-origin-resource-sharing-implemented-with-public-access';
  const credentials =
    clientHeader(probe.headers, 'access-control-allow-credentials')?.trim().toLowerCase() === 'true';
  // Deliberate: the documentation scores a reflected origin with credentials −50; Observatory's
  // code compares against response.request.headers, which its client never fills, so it never does.
  if (allow.trim() === probe.origin && credentials)
    return 'cross-origin-resource-sharing-implemented-with-universal-access';
  return 'cross-origin-resource-sharing-implemented-with-restricted-access';
}

export function classifyRedirection(a: Artefacts): string {
  const chain = a.httpRedirect;
  // Observatory keeps no http response when any request of the chain failed.
  if (!chain || chain.error || chain.hops.length === 0) return 'redirection-not-needed-no-http';
  if (!chainVerified(chain)) return 'redirection-invalid-cert';
  const route = chain.hops.map((hop) => parseUrl(hop.url));
  if (route.every((hop) => preloaded(a, hop?.hostname))) return 'redirection-all-redirects-preloaded';
  if (route.length === 1) return 'redirection-missing';
  if (parseUrl(chainFinal(chain)?.url ?? '')?.protocol !== 'https:') return 'redirection-not-to-https';
  const [first, second] = route;
  if (second?.protocol === 'http:') return 'redirection-not-to-https-on-initial-redirection';
  if (first?.protocol === 'http:' && second?.protocol === 'https:' && first.hostname !== second.hostname)
    return 'redirection-off-host-from-http';
  return 'redirection-to-https';
}

const PRIVATE_POLICIES = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const UNSAFE_POLICIES = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];

export function classifyReferrer(a: Artefacts): string {
  const header = clientHeader(finalResponse(a)?.headers, 'referrer-policy');
  const meta = metaReferrer(a);
  if (header === undefined && meta === undefined) return 'referrer-policy-not-implemented';
  // The last recognised token wins (W3C Referrer Policy §11.1); a <meta> comes after the header.
  const tokens = [header, meta]
    .filter((v) => v !== undefined)
    .join(', ')
    .split(',')
    .map((t) => t.trim().toLowerCase());
  const policy = tokens.filter((t) => PRIVATE_POLICIES.includes(t) || UNSAFE_POLICIES.includes(t)).at(-1);
  if (policy === undefined) return 'referrer-policy-header-invalid';
  return PRIVATE_POLICIES.includes(policy) ? 'referrer-policy-private' : 'referrer-policy-unsafe';
}

export function classifyXcto(a: Artefacts): string {
  const header = clientHeader(finalResponse(a)?.headers, 'x-content-type-options');
  if (!header) return 'x-content-type-options-not-implemented';
  return header.slice(0, 256).trim().toLowerCase() === 'nosniff'
    ? 'x-content-type-options-nosniff'
    : 'x-content-type-options-header-invalid';
}

export function classifyXfo(a: Artefacts): string {
  // Deliberate: frame-ancestors counts only from a header policy, and only when it does not let
  // any site frame the page (`*`, `https:` …); Observatory's code credits any frame-ancestors.
  const ancestors = analyseCsp(a).headerFrameAncestors;
  if (ancestors && ![...ancestors].some((s) => BROAD.has(s))) return 'x-frame-options-implemented-via-csp';
  const header = clientHeader(finalResponse(a)?.headers, 'x-frame-options');
  if (!header) return 'x-frame-options-not-implemented';
  const xfo = header.slice(0, 1024).trim().toLowerCase();
  if (xfo === 'deny' || xfo === 'sameorigin') return 'x-frame-options-sameorigin-or-deny';
  if (xfo.startsWith('allow-from')) return 'x-frame-options-allow-from-origin';
  return 'x-frame-options-header-invalid';
}

export function classifyCorp(a: Artefacts): string {
  const header = clientHeader(finalResponse(a)?.headers, 'cross-origin-resource-policy');
  if (!header) return 'corp-not-implemented';
  const value = header.slice(0, 256).trim().toLowerCase();
  if (value === 'same-origin') return 'corp-implemented-with-same-origin';
  if (value === 'same-site') return 'corp-implemented-with-same-site';
  if (value === 'cross-origin') return 'corp-implemented-with-cross-origin';
  return 'corp-header-invalid';
}

export { classifyCsp, classifySri };

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
