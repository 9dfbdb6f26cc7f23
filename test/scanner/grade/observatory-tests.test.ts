/**
 * The Observatory-compatible classifiers, one row per case where VIOscan used to disagree with the
 * real MDN HTTP Observatory (HSTS thresholds, repeated headers, cookie rules, <meta> policies,
 * certificate errors) or where we differ on purpose ("deliberate", docs/scoring.md). Each row is
 * one change to the all-passing baseline and the result Observatory's published rules give.
 * `npm run bench:observatory` checks the same cases against the real Observatory.
 */
import { describe, expect, it } from 'vitest';
import {
  classifyCookies,
  classifyCorp,
  classifyCors,
  classifyCsp,
  classifyHsts,
  classifyRedirection,
  classifyReferrer,
  classifySri,
  classifyXcto,
  classifyXfo,
} from '../../../src/scanner/grade/observatory-tests.ts';
import type { Artefacts, ResponseArtefact } from '../../../src/scanner/types.ts';
import { baseline, set, TARGET, withHeaders } from '../helpers/artefacts.ts';

type Row = [label: string, artefacts: Artefacts, expected: string];

function table(classify: (a: Artefacts) => string, rows: Row[]): void {
  it.each(rows.map(([label, artefacts, expected]) => ({ label, artefacts, expected })))(
    '$label → $expected',
    ({ artefacts, expected }) => expect(classify(artefacts)).toBe(expected),
  );
}

const headers = (h: Record<string, string[] | undefined>) => withHeaders(baseline(), h);
const page = (html: Partial<NonNullable<Artefacts['html']>>, h: Record<string, string[] | undefined> = {}) =>
  set((a) => Object.assign(a.html!, html), headers(h));
const unverified = (a: Artefacts) => {
  for (const hop of a.page.hops) hop.unverifiedTls = 'CERT_HAS_EXPIRED: certificate has expired';
};
const NO_HSTS = { 'strict-transport-security': undefined };

/** The scan found the target's host on the HSTS preload list (optionally with other headers). */
function preload(a: Artefacts, replace?: Record<string, string[] | undefined>): void {
  a.hstsPreload = {
    listDate: '2026-06-01',
    hosts: [{ host: 'example.test', entry: { name: 'example.test', includeSubDomains: true } }],
  };
  if (replace && a.page.final) {
    for (const [k, v] of Object.entries(replace)) {
      if (v === undefined) delete a.page.final.headers[k];
      else a.page.final.headers[k] = v;
    }
  }
}

describe('strict-transport-security', () => {
  table(classifyHsts, [
    ['two years (control)', baseline(), 'hsts-implemented-max-age-at-least-six-months'],
    [
      'exactly six months, 15768000',
      headers({ 'strict-transport-security': ['max-age=15768000'] }),
      'hsts-implemented-max-age-at-least-six-months',
    ],
    [
      'one second short',
      headers({ 'strict-transport-security': ['max-age=15767999'] }),
      'hsts-implemented-max-age-less-than-six-months',
    ],
    // Deliberate: the documentation's six months, not the code's 15552000.
    [
      '180 days, 15552000',
      headers({ 'strict-transport-security': ['max-age=15552000'] }),
      'hsts-implemented-max-age-less-than-six-months',
    ],
    [
      'max-age=0',
      headers({ 'strict-transport-security': ['max-age=0'] }),
      'hsts-implemented-max-age-less-than-six-months',
    ],
    [
      'a quoted max-age',
      headers({ 'strict-transport-security': ['max-age="63072000"'] }),
      'hsts-implemented-max-age-at-least-six-months',
    ],
    [
      'sent twice',
      headers({ 'strict-transport-security': ['max-age=63072000', 'max-age=63072000'] }),
      'hsts-header-invalid',
    ],
    ['no max-age', headers({ 'strict-transport-security': ['includeSubDomains'] }), 'hsts-header-invalid'],
    // Deliberate: browsers ignore a non-numeric max-age; Observatory's code passes it.
    ['max-age=forever', headers({ 'strict-transport-security': ['max-age=forever'] }), 'hsts-header-invalid'],
    ['absent', headers(NO_HSTS), 'hsts-not-implemented'],
    ['the certificate failed', set(unverified), 'hsts-invalid-cert'],
    ['absent but the host is preloaded', set((a) => preload(a, NO_HSTS)), 'hsts-preloaded'],
    [
      'preloaded overrides a failed certificate',
      set((a) => {
        unverified(a);
        preload(a);
      }),
      'hsts-preloaded',
    ],
    [
      'an http:// target',
      set((a) => {
        a.page.requestedUrl = 'http://example.test/';
      }),
      'hsts-not-implemented-no-https',
    ],
  ]);
});

describe('cookies', () => {
  const cookie = (...lines: string[]) => headers({ 'set-cookie': lines });
  table(classifyCookies, [
    [
      '__Host- session with every flag (control)',
      baseline(),
      'cookies-secure-with-httponly-sessions-and-samesite',
    ],
    ['no cookies', cookie(), 'cookies-not-found'],
    [
      'Secure and HttpOnly but no SameSite',
      cookie('sessionid=1; Secure; HttpOnly'),
      'cookies-secure-with-httponly-sessions',
    ],
    [
      'session without Secure, HSTS two years',
      cookie('sessionid=1; HttpOnly; SameSite=Lax'),
      'cookies-session-without-secure-flag-but-protected-by-hsts',
    ],
    [
      'session without Secure, HSTS one day: HSTS must pass to protect',
      headers({ 'set-cookie': ['sessionid=1; HttpOnly'], 'strict-transport-security': ['max-age=86400'] }),
      'cookies-session-without-secure-flag',
    ],
    [
      'session without HttpOnly',
      cookie('login=1; Secure; SameSite=Lax'),
      'cookies-session-without-httponly-flag',
    ],
    [
      'plain cookie without Secure, HSTS',
      cookie('theme=dark'),
      'cookies-without-secure-flag-but-protected-by-hsts',
    ],
    [
      'plain cookie without Secure, no HSTS',
      headers({ 'set-cookie': ['theme=dark'], ...NO_HSTS }),
      'cookies-without-secure-flag',
    ],
    ['SameSite=None without Secure', cookie('t=1; SameSite=None'), 'cookies-samesite-flag-invalid'],
    ['SameSite without a value', cookie('t=1; Secure; SameSite'), 'cookies-samesite-flag-invalid'],
    ['SameSite=Sometimes', cookie('t=1; Secure; SameSite=Sometimes'), 'cookies-samesite-flag-invalid'],
    [
      'anti-CSRF token without SameSite',
      cookie('csrftoken=1; Secure'),
      'cookies-anticsrf-without-samesite-flag',
    ],
    // What a cookie jar keeps: rejected cookies are not judged, a later cookie replaces an earlier one.
    [
      'a __Host- cookie with a Domain is rejected',
      cookie('__Host-sess=1; Secure; Domain=example.test; Path=/'),
      'cookies-not-found',
    ],
    [
      'a __Secure- cookie without Secure is rejected',
      cookie('__Secure-sess=1; HttpOnly'),
      'cookies-not-found',
    ],
    [
      'a cookie for another domain is rejected',
      cookie('sessionid=1; Domain=other.example'),
      'cookies-not-found',
    ],
    ['a cookie for a public suffix is rejected', cookie('sessionid=1; Domain=test'), 'cookies-not-found'],
    ['a cookie without a name is rejected', cookie('=value; Secure'), 'cookies-not-found'],
    [
      'the later of two same cookies wins',
      cookie('sessionid=1', 'sessionid=2; Secure; HttpOnly; SameSite=Lax'),
      'cookies-secure-with-httponly-sessions-and-samesite',
    ],
    [
      'a cookie set on a redirect hop counts',
      set((a) => {
        const hop = {
          url: TARGET,
          status: 302,
          headers: { 'set-cookie': ['sessionid=1; Secure'] },
          timingMs: 1,
        };
        a.page.hops.unshift(hop);
      }),
      'cookies-session-without-httponly-flag',
    ],
    [
      'a session cookie being cleared still counts',
      headers({ 'set-cookie': ['sessionid=; Max-Age=0'], ...NO_HSTS }),
      'cookies-session-without-secure-flag',
    ],
  ]);
});

describe('content-security-policy', () => {
  const csp = (...values: string[]) => headers({ 'content-security-policy': values });
  table(classifyCsp, [
    ["default-src 'none' (control)", baseline(), 'csp-implemented-with-no-unsafe-default-src-none'],
    ["default-src 'self'", csp("default-src 'self'"), 'csp-implemented-with-no-unsafe'],
    ['no policy', csp(), 'csp-not-implemented'],
    [
      'report-only',
      headers({
        'content-security-policy': undefined,
        'content-security-policy-report-only': ["default-src 'self'"],
      }),
      'csp-not-implemented-but-reporting-enabled',
    ],
    ['too short to parse', csp('none'), 'csp-header-invalid'],
    [
      'a directive given twice',
      csp("default-src 'self'; script-src 'self'; script-src 'unsafe-inline'"),
      'csp-header-invalid',
    ],
    [
      'report-uri given twice',
      csp("default-src 'none'; report-uri /a; report-uri /b"),
      'csp-implemented-but-duplicate-directives',
    ],
    [
      "'strict-dynamic' without nonce or hash",
      csp("script-src 'strict-dynamic' 'self'"),
      'csp-header-invalid',
    ],
    // Two headers reach Observatory joined by a comma: it reads one policy with stray sources.
    [
      'sent twice, joined into one policy',
      csp("default-src 'self'", "script-src 'unsafe-inline'"),
      'csp-implemented-with-unsafe-inline',
    ],
    [
      'in a <meta> tag only',
      page({ metaCsp: ["default-src 'self'"] }, { 'content-security-policy': undefined }),
      'csp-implemented-with-no-unsafe',
    ],
    [
      'a <meta> tag with only frame-ancestors sets nothing',
      page({ metaCsp: ["frame-ancestors 'none'"] }, { 'content-security-policy': undefined }),
      'csp-not-implemented',
    ],
    [
      '<meta> ignored on a page not served as HTML',
      page(
        { metaCsp: ["default-src 'self'"] },
        { 'content-security-policy': undefined, 'content-type': ['text/plain'] },
      ),
      'csp-not-implemented',
    ],
    [
      'a directive only a later policy sets becomes none',
      page(
        { metaCsp: ["script-src 'self' 'unsafe-inline'"] },
        { 'content-security-policy': ["default-src 'self'"] },
      ),
      'csp-implemented-with-no-unsafe',
    ],
    [
      'nonce + strict-dynamic ignore https: and unsafe-inline',
      csp(
        "default-src 'self'; script-src 'nonce-abc' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'",
      ),
      'csp-implemented-with-no-unsafe',
    ],
    [
      "script-src 'unsafe-inline'",
      csp("default-src 'self'; script-src 'unsafe-inline'"),
      'csp-implemented-with-unsafe-inline',
    ],
    [
      "script-src 'unsafe-eval'",
      csp("default-src 'self'; script-src 'self' 'unsafe-eval'"),
      'csp-implemented-with-unsafe-eval',
    ],
    [
      'http: script source',
      csp("default-src 'self'; script-src 'self' http://cdn.example"),
      'csp-implemented-with-insecure-scheme',
    ],
    [
      'http: images only',
      csp("default-src 'self'; img-src http:"),
      'csp-implemented-with-insecure-scheme-in-passive-content-only',
    ],
    [
      "style-src 'unsafe-inline' only",
      csp("default-src 'none'; style-src 'unsafe-inline'"),
      'csp-implemented-with-unsafe-inline-in-style-src-only',
    ],
  ]);
});

describe('x-frame-options', () => {
  const noCspAncestors = { 'content-security-policy': ["default-src 'self'"] };
  table(classifyXfo, [
    ["frame-ancestors 'none' in the header (control)", baseline(), 'x-frame-options-implemented-via-csp'],
    [
      'DENY',
      headers({ ...noCspAncestors, 'x-frame-options': ['DENY'] }),
      'x-frame-options-sameorigin-or-deny',
    ],
    [
      'DENY sent twice',
      headers({ ...noCspAncestors, 'x-frame-options': ['DENY', 'DENY'] }),
      'x-frame-options-header-invalid',
    ],
    [
      'ALLOW-FROM',
      headers({ ...noCspAncestors, 'x-frame-options': ['ALLOW-FROM https://a.example'] }),
      'x-frame-options-allow-from-origin',
    ],
    [
      'absent',
      headers({ ...noCspAncestors, 'x-frame-options': undefined }),
      'x-frame-options-not-implemented',
    ],
    // Deliberate: browsers ignore frame-ancestors in <meta>, and * protects nothing.
    [
      'frame-ancestors only in a <meta> policy',
      page(
        { metaCsp: ["default-src 'none'; frame-ancestors 'none'"] },
        { 'content-security-policy': undefined, 'x-frame-options': undefined },
      ),
      'x-frame-options-not-implemented',
    ],
    [
      'frame-ancestors *',
      headers({
        'content-security-policy': ["default-src 'self'; frame-ancestors *"],
        'x-frame-options': undefined,
      }),
      'x-frame-options-not-implemented',
    ],
  ]);
});

describe('x-content-type-options, referrer-policy, cross-origin-resource-policy', () => {
  describe('x-content-type-options', () => {
    table(classifyXcto, [
      ['nosniff (control)', baseline(), 'x-content-type-options-nosniff'],
      [
        'sent twice',
        headers({ 'x-content-type-options': ['nosniff', 'nosniff'] }),
        'x-content-type-options-header-invalid',
      ],
      ['absent', headers({ 'x-content-type-options': undefined }), 'x-content-type-options-not-implemented'],
    ]);
  });
  describe('referrer-policy', () => {
    table(classifyReferrer, [
      ['strict-origin-when-cross-origin (control)', baseline(), 'referrer-policy-private'],
      ['unsafe-url', headers({ 'referrer-policy': ['unsafe-url'] }), 'referrer-policy-unsafe'],
      ['unknown token', headers({ 'referrer-policy': ['nope'] }), 'referrer-policy-header-invalid'],
      [
        'fallback list: last known token',
        headers({ 'referrer-policy': ['no-referrer, future-policy'] }),
        'referrer-policy-private',
      ],
      [
        'a <meta name=referrer> overrides the header',
        page({ metaReferrer: ['no-referrer'] }, { 'referrer-policy': ['unsafe-url'] }),
        'referrer-policy-private',
      ],
      ['absent', headers({ 'referrer-policy': undefined }), 'referrer-policy-not-implemented'],
    ]);
  });
  describe('cross-origin-resource-policy', () => {
    table(classifyCorp, [
      ['same-origin (control)', baseline(), 'corp-implemented-with-same-origin'],
      [
        'same-site',
        headers({ 'cross-origin-resource-policy': ['same-site'] }),
        'corp-implemented-with-same-site',
      ],
      [
        'sent twice',
        headers({ 'cross-origin-resource-policy': ['same-site', 'same-site'] }),
        'corp-header-invalid',
      ],
      ['absent', headers({ 'cross-origin-resource-policy': undefined }), 'corp-not-implemented'],
    ]);
  });
});

describe('cross-origin-resource-sharing', () => {
  const cors = (h: Record<string, string[]>) => set((a) => (a.cors!.headers = h));
  table(classifyCors, [
    ['no CORS headers (control)', baseline(), 'cross-origin-resource-sharing-not-implemented'],
    [
      '*',
      cors({ 'access-control-allow-origin': ['*'] }),
      'cross-origin-resource-sharing-implemented-with-public-access',
    ],
    [
      '* with credentials (browsers refuse)',
      cors({ 'access-control-allow-origin': ['*'], 'access-control-allow-credentials': ['true'] }),
      'cross-origin-resource-sharing-implemented-with-public-access',
    ],
    [
      'a fixed origin with credentials',
      cors({
        'access-control-allow-origin': ['https://partner.example'],
        'access-control-allow-credentials': ['true'],
      }),
      'cross-origin-resource-sharing-implemented-with-restricted-access',
    ],
    [
      'our origin reflected, no credentials',
      cors({ 'access-control-allow-origin': ['https://attacker.invalid'] }),
      'cross-origin-resource-sharing-implemented-with-restricted-access',
    ],
    // Deliberate: the documentation's −50, which Observatory's code never reaches.
    [
      'our origin reflected with credentials',
      cors({
        'access-control-allow-origin': ['https://attacker.invalid'],
        'access-control-allow-credentials': ['true'],
      }),
      'cross-origin-resource-sharing-implemented-with-universal-access',
    ],
  ]);
});

describe('redirection', () => {
  const hop = (url: string, status: number, location?: string): ResponseArtefact => ({
    url,
    status,
    headers: location ? { location: [location] } : {},
    timingMs: 1,
  });
  const via = (...hops: ResponseArtefact[]) =>
    set((a) => {
      a.httpRedirect = { requestedUrl: hops[0]!.url, hops, final: hops.at(-1) };
    });
  table(classifyRedirection, [
    ['http → https, same host (control)', baseline(), 'redirection-to-https'],
    [
      'no http listener',
      set(
        (a) =>
          (a.httpRedirect = {
            requestedUrl: 'http://example.test/',
            hops: [],
            error: { code: 'connect_failed', message: 'refused' },
          }),
      ),
      'redirection-not-needed-no-http',
    ],
    ['http serves the page', via(hop('http://example.test/', 200)), 'redirection-missing'],
    [
      'http → http → https',
      via(
        hop('http://example.test/', 301, 'http://example.test/a'),
        hop('http://example.test/a', 301, TARGET),
        hop(TARGET, 200),
      ),
      'redirection-not-to-https-on-initial-redirection',
    ],
    [
      'http → https on another host',
      via(
        hop('http://example.test/', 301, 'https://www.example.test/'),
        hop('https://www.example.test/', 200),
      ),
      'redirection-off-host-from-http',
    ],
    [
      'http → http elsewhere',
      via(hop('http://example.test/', 302, 'http://www.example.test/'), hop('http://www.example.test/', 200)),
      'redirection-not-to-https',
    ],
    [
      'http → https whose certificate failed',
      set((a) => {
        a.httpRedirect!.hops.at(-1)!.unverifiedTls = 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate';
      }),
      'redirection-invalid-cert',
    ],
    ['every hop preloaded', set((a) => preload(a)), 'redirection-all-redirects-preloaded'],
    [
      'one hop not preloaded',
      set((a) => {
        a.hstsPreload = { listDate: '2026-06-01', hosts: [{ host: 'example.test' }] };
      }),
      'redirection-to-https',
    ],
  ]);
});

describe('subresource-integrity', () => {
  const HASH = 'sha384-abc';
  const scripts = (list: NonNullable<Artefacts['html']>['scripts'], scriptElements = list.length) =>
    page({ scripts: list, scriptElements });
  table(classifySri, [
    [
      'external script with integrity (control)',
      baseline(),
      'sri-implemented-and-external-scripts-loaded-securely',
    ],
    ['no scripts', scripts([]), 'sri-not-implemented-but-no-scripts-loaded'],
    ['inline scripts only', scripts([], 2), 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin'],
    [
      'same-origin relative script',
      scripts([{ src: `${TARGET}app.js`, rawSrc: '/app.js' }]),
      'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
    ],
    [
      'same-origin script with integrity',
      scripts([{ src: `${TARGET}app.js`, rawSrc: '/app.js', integrity: HASH }]),
      'sri-implemented-and-all-scripts-loaded-securely',
    ],
    [
      'a sibling host of the same registrable domain',
      scripts([{ src: 'https://static.example.test/a.js' }]),
      'sri-not-implemented-but-all-scripts-loaded-from-secure-origin',
    ],
    [
      'external https without integrity',
      scripts([{ src: 'https://cdn.example.net/a.js' }]),
      'sri-not-implemented-but-external-scripts-loaded-securely',
    ],
    [
      'external http without integrity',
      scripts([{ src: 'http://cdn.example.net/a.js' }]),
      'sri-not-implemented-and-external-scripts-not-loaded-securely',
    ],
    [
      'protocol-relative with integrity',
      scripts([{ src: 'https://cdn.example.net/a.js', rawSrc: '//cdn.example.net/a.js', integrity: HASH }]),
      'sri-implemented-but-external-scripts-not-loaded-securely',
    ],
    [
      'not served as HTML',
      page({}, { 'content-type': ['application/json'] }),
      'sri-not-implemented-response-not-html',
    ],
  ]);
});
