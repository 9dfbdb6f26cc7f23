/**
 * The parity corpus of bench/observatory.ts: loopback sites, each named `<name>.vioscan.test` (the
 * test PKI's wildcard) on its own 127.0.14.x address, HTTPS on 443 and plain HTTP on 80, as
 * Observatory scans a host name on the default ports only. Every header variant Observatory scores,
 * cookies with every flag combination, CORS, SRI, meta tags, certificate errors, redirect chains
 * and a few real-world header sets.
 *
 * `deliberate` marks a site where VIOscan follows Observatory's documentation (or what browsers
 * do) instead of its code; docs/scoring.md lists each case with the reason. The bench reports those
 * sites apart from unexplained disagreement.
 */
import type { RecordedRequest, Route, RouteSpec } from '../../test/sites/site.ts';

export interface CorpusSite {
  name: string;
  what: string;
  /** Certificate of the HTTPS listener; false = no HTTPS at all (the site is scanned over http). */
  tls?: 'valid' | 'expired' | 'wrong-host' | 'self-signed' | false;
  /** Port 80: redirect to https on the same host (default), no listener, or these routes. */
  http?: 'redirect' | 'none' | Record<string, Route>;
  routes: Record<string, Route>;
  /** Observatory tests where VIOscan differs on purpose (docs/scoring.md, "Deliberate differences"). */
  deliberate?: { tests: string[]; reason: string };
}

export const DOMAIN = 'vioscan.test';
export const hostOf = (name: string) => `${name}.${DOMAIN}`;

const HTML = 'text/html; charset=utf-8';

export function html(head = '', body = '<p>hello</p>'): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>fixture</title>${head}</head><body>${body}</body></html>`;
}

const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Every header Observatory rewards, none it penalises. */
export const HARDENED: Record<string, string> = {
  'content-type': HTML,
  'content-security-policy': STRICT_CSP,
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-resource-policy': 'same-origin',
};

type Headers = Record<string, string | string[]>;

/** HARDENED with changes; `undefined` removes a header. */
function hardened(changes: Record<string, string | string[] | undefined> = {}): Headers {
  const out: Headers = { ...HARDENED };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function page(headers: Headers, body = html()): Record<string, Route> {
  return { '/': { headers, body } };
}

const reflectOrigin =
  (credentials: boolean) =>
  (req: RecordedRequest): RouteSpec => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    return {
      headers: {
        ...HARDENED,
        ...(origin && { 'access-control-allow-origin': origin }),
        ...(origin && credentials && { 'access-control-allow-credentials': 'true', vary: 'Origin' }),
      },
      body: html(),
    };
  };

const SRI_HASH = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';
const script = (src: string, integrity?: string) =>
  `<script src="${src}"${integrity ? ` integrity="${integrity}" crossorigin="anonymous"` : ''}></script>`;

const cookies = (...lines: string[]) => page(hardened({ 'set-cookie': lines }));
const cookiesNoHsts = (...lines: string[]) =>
  page(hardened({ 'set-cookie': lines, 'strict-transport-security': undefined }));

export const CORPUS: CorpusSite[] = [
  // Whole sites
  {
    name: 'hardened',
    what: 'every header Observatory rewards, a __Host- session cookie, an external script with SRI',
    routes: page(
      hardened({ 'set-cookie': ['__Host-session=1; Path=/; Secure; HttpOnly; SameSite=Lax'] }),
      html(script(`https://cdn.${DOMAIN}/lib.js`, SRI_HASH)),
    ),
  },
  {
    name: 'landing',
    what: 'the off-host redirect target: hardened, no cookies',
    routes: page(hardened()),
  },
  { name: 'bare', what: 'no security header at all', routes: page({ 'content-type': HTML }) },
  {
    name: 'no-plain-http',
    what: 'nothing listens on port 80',
    http: 'none',
    routes: page(hardened()),
  },
  {
    name: 'http-only',
    what: 'no HTTPS listener: scanned over http',
    tls: false,
    http: page({ 'content-type': HTML, 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' }),
    routes: {},
  },
  {
    name: 'http-no-redirect',
    what: 'port 80 serves the page instead of redirecting',
    http: page({ 'content-type': HTML }),
    routes: page(hardened()),
  },
  {
    name: 'http-to-http-first',
    what: 'http → http (another path) → https',
    http: {
      '/': { status: 301, headers: { location: `http://${hostOf('http-to-http-first')}/next` } },
      '/next': { status: 301, headers: { location: `https://${hostOf('http-to-http-first')}/` } },
    },
    routes: page(hardened()),
  },
  {
    name: 'http-off-host',
    what: 'http redirects straight to https on another host',
    http: { '*': { status: 301, headers: { location: `https://${hostOf('landing')}/` } } },
    routes: page(hardened()),
  },
  {
    name: 'http-never-https',
    what: 'http redirects to another http host that serves the page',
    http: { '*': { status: 302, headers: { location: `http://${hostOf('http-only')}/` } } },
    routes: page(hardened()),
  },
  {
    name: 'https-redirect-chain',
    what: 'https://host/ → /home, a cookie set on the redirect hop',
    routes: {
      '/': {
        status: 302,
        headers: { location: '/home', 'set-cookie': 'sessionid=1; Path=/; HttpOnly; SameSite=Lax' },
      },
      '/home': { headers: hardened(), body: html() },
    },
  },
  {
    name: 'status-401',
    what: 'the page answers 401 (Observatory grades 401 and 403)',
    routes: {
      '/': { status: 401, headers: hardened({ 'www-authenticate': 'Basic realm="x"' }), body: html() },
    },
  },

  // Real-world header sets (typical, not copied from any one site)
  {
    name: 'rw-code-host',
    what: 'a code-hosting style set: broad CSP allow-list, preload-ready HSTS, sameorigin referrer',
    routes: page(
      {
        'content-type': HTML,
        'content-security-policy':
          "default-src 'none'; base-uri 'self'; connect-src 'self' https://api.example.com; " +
          "font-src https://assets.example.com; form-action 'self'; frame-ancestors 'none'; " +
          "img-src 'self' data: https:; script-src https://assets.example.com; style-src 'unsafe-inline' https://assets.example.com",
        'strict-transport-security': 'max-age=31536000; includeSubdomains; preload',
        'x-frame-options': 'deny',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'origin-when-cross-origin, strict-origin-when-cross-origin',
        'set-cookie': [
          '_app_session=abc; path=/; secure; HttpOnly; SameSite=Lax',
          'logged_in=no; Path=/; Max-Age=31536000; Secure; HttpOnly; SameSite=Lax',
        ],
      },
      html(script('https://assets.example.com/app.js', SRI_HASH)),
    ),
  },
  {
    name: 'rw-cms',
    what: 'a CMS style set: no CSP, SAMEORIGIN framing, cookies without Secure, jQuery from a CDN without SRI',
    routes: page(
      {
        'content-type': HTML,
        'x-frame-options': 'SAMEORIGIN',
        server: 'Apache/2.4.41 (Ubuntu)',
        'x-powered-by': 'PHP/7.4.3',
        'set-cookie': ['wp_test_cookie=WP%20Cookie%20check; path=/'],
        link: '</wp-json/>; rel="https://api.w.org/"',
      },
      html(
        `${script('https://ajax.googleapis.com/ajax/libs/jquery/3.6.0/jquery.min.js')}${script('/wp-includes/js/app.js')}`,
      ),
    ),
  },
  {
    name: 'rw-search',
    what: 'a search-engine style set: report-only CSP, SAMEORIGIN, cookies without HttpOnly, short HSTS',
    routes: page(
      {
        'content-type': HTML,
        'content-security-policy-report-only':
          "object-src 'none';base-uri 'self';script-src 'nonce-abc123' 'strict-dynamic' 'report-sample' 'unsafe-eval' 'unsafe-inline' https: http:;report-uri https://csp.example.com/",
        'x-frame-options': 'SAMEORIGIN',
        'x-xss-protection': '0',
        'strict-transport-security': 'max-age=31536000',
        'set-cookie': [
          'AEC=AVYB7; expires=Sat, 01-Jan-2033 00:00:00 GMT; path=/; domain=.vioscan.test; Secure; HttpOnly; SameSite=lax',
          'NID=511=abc; expires=Sat, 01-Jan-2033 00:00:00 GMT; path=/; domain=.vioscan.test; HttpOnly',
        ],
      },
      html('', '<script nonce="abc123">var x = 1;</script>'),
    ),
  },
  {
    name: 'rw-docs',
    what: 'a documentation-site style set: nonce CSP with strict-dynamic, HSTS, CORP same-origin',
    routes: page(
      {
        'content-type': HTML,
        'content-security-policy':
          "default-src 'self'; script-src 'report-sample' 'self' 'nonce-r4nd0m1234567890' 'strict-dynamic'; " +
          "style-src 'report-sample' 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; " +
          "img-src 'self' data: https:; frame-ancestors 'self'; form-action 'self'",
        'strict-transport-security': 'max-age=63072000',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'strict-origin-when-cross-origin',
        'cross-origin-resource-policy': 'same-site',
      },
      html('<script nonce="r4nd0m1234567890" src="/main.js"></script>'),
    ),
  },
  {
    name: 'rw-static-host',
    what: 'a static-hosting style set: HSTS and nosniff only, CORS for everyone',
    routes: page({
      'content-type': HTML,
      'strict-transport-security': 'max-age=31556952',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': '*',
      'referrer-policy': 'strict-origin-when-cross-origin',
    }),
  },
  {
    name: 'rw-shop',
    what: 'a shop style set: CSP with unsafe-inline and unsafe-eval, session cookie without Secure',
    routes: page(
      {
        'content-type': HTML,
        'content-security-policy':
          "default-src 'self' https:; script-src 'self' 'unsafe-inline' 'unsafe-eval' https://cdn.shop.example; upgrade-insecure-requests; block-all-mixed-content",
        'strict-transport-security': 'max-age=7889238',
        'x-frame-options': 'SAMEORIGIN',
        'x-content-type-options': 'nosniff',
        'set-cookie': ['PHPSESSID=q1w2e3; path=/; HttpOnly', 'cart=empty; path=/; Secure; SameSite=None'],
      },
      html(script('https://cdn.shop.example/shop.js')),
    ),
  },

  // Strict-Transport-Security
  {
    name: 'hsts-short',
    what: 'HSTS max-age=300',
    routes: page(hardened({ 'strict-transport-security': 'max-age=300' })),
  },
  {
    name: 'hsts-180-days',
    what: 'HSTS max-age=15552000 (180 days): below the documented six months (15768000)',
    routes: page(hardened({ 'strict-transport-security': 'max-age=15552000' })),
    deliberate: {
      tests: ['strict-transport-security'],
      reason: 'Observatory’s code accepts 15552000 as six months, its documentation says 15768000',
    },
  },
  {
    name: 'hsts-six-months',
    what: 'HSTS max-age=15768000, exactly six months',
    routes: page(hardened({ 'strict-transport-security': 'max-age=15768000' })),
  },
  {
    name: 'hsts-zero',
    what: 'HSTS max-age=0',
    routes: page(hardened({ 'strict-transport-security': 'max-age=0' })),
  },
  {
    name: 'hsts-no-max-age',
    what: 'HSTS without max-age',
    routes: page(hardened({ 'strict-transport-security': 'includeSubDomains; preload' })),
  },
  {
    name: 'hsts-repeated',
    what: 'two Strict-Transport-Security headers',
    routes: page(hardened({ 'strict-transport-security': ['max-age=63072000', 'max-age=63072000'] })),
  },
  {
    name: 'hsts-garbled-max-age',
    what: 'HSTS max-age=forever: browsers ignore the header',
    routes: page(hardened({ 'strict-transport-security': 'max-age=forever' })),
    deliberate: {
      tests: ['strict-transport-security'],
      reason:
        'Observatory’s code reads a non-numeric max-age as NaN and passes it; browsers ignore such a header',
    },
  },
  {
    name: 'hsts-quoted',
    what: 'HSTS max-age="63072000" (a quoted-string, valid per RFC 6797)',
    routes: page(hardened({ 'strict-transport-security': 'max-age="63072000"; includeSubDomains' })),
  },

  // Content-Security-Policy
  {
    name: 'csp-self',
    what: "default-src 'self'",
    routes: page(hardened({ 'content-security-policy': "default-src 'self'" })),
  },
  {
    name: 'csp-unsafe-inline',
    what: "script-src 'unsafe-inline'",
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'" }),
    ),
  },
  {
    name: 'csp-unsafe-eval',
    what: "script-src 'unsafe-eval'",
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-eval'" }),
    ),
  },
  {
    name: 'csp-style-inline',
    what: 'unsafe-inline in style-src only',
    routes: page(
      hardened({
        'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'",
      }),
    ),
  },
  {
    name: 'csp-http-active',
    what: 'an http: script source on an https site',
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'; script-src 'self' http://cdn.example.com" }),
    ),
  },
  {
    name: 'csp-http-passive',
    what: 'http: images only',
    routes: page(hardened({ 'content-security-policy': "default-src 'self'; img-src 'self' http:" })),
  },
  {
    name: 'csp-nonce-strict-dynamic',
    what: "nonce + 'strict-dynamic' with https: and 'unsafe-inline' fallbacks",
    routes: page(
      hardened({
        'content-security-policy':
          "script-src 'nonce-abcdefghijklmnop' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'",
      }),
    ),
  },
  {
    name: 'csp-strict-dynamic-alone',
    what: "'strict-dynamic' without a nonce or hash",
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'; script-src 'strict-dynamic' 'self'" }),
    ),
  },
  {
    name: 'csp-report-only',
    what: 'only Content-Security-Policy-Report-Only',
    routes: page(
      hardened({
        'content-security-policy': undefined,
        'content-security-policy-report-only': "default-src 'self'",
      }),
    ),
  },
  {
    name: 'csp-meta',
    what: 'the policy in a <meta http-equiv> tag only',
    routes: page(
      hardened({ 'content-security-policy': undefined }),
      html(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'">`),
    ),
  },
  {
    name: 'csp-meta-frame-ancestors',
    what: 'frame-ancestors in a <meta> policy (browsers ignore it there) and no X-Frame-Options',
    routes: page(
      hardened({ 'content-security-policy': undefined, 'x-frame-options': undefined }),
      html(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-ancestors 'none'">`,
      ),
    ),
    deliberate: {
      tests: ['x-frame-options'],
      reason:
        'Observatory’s code credits frame-ancestors from a <meta> policy; browsers ignore it there (CSP3 §6.4.2)',
    },
  },
  {
    name: 'csp-header-and-meta',
    what: 'a header policy and a looser <meta> policy: both apply',
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'; object-src 'none'" }),
      html(`<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-inline'">`),
    ),
  },
  {
    name: 'csp-two-policies',
    what: 'two Content-Security-Policy headers',
    routes: page(
      hardened({
        'content-security-policy': ["default-src 'self'", "script-src 'self' https://cdn.example.com"],
      }),
    ),
  },
  {
    name: 'csp-duplicate-directive',
    what: 'script-src given twice in one policy',
    routes: page(
      hardened({
        'content-security-policy': "default-src 'self'; script-src 'self'; script-src 'unsafe-inline'",
      }),
    ),
  },
  {
    name: 'csp-duplicate-report-uri',
    what: "default-src 'none' with report-uri given twice",
    routes: page(
      hardened({
        'content-security-policy': "default-src 'none'; script-src 'self'; report-uri /a; report-uri /b",
      }),
    ),
  },
  {
    name: 'csp-wildcard',
    what: 'default-src https: (every https host)',
    routes: page(hardened({ 'content-security-policy': 'default-src https:' })),
  },
  {
    name: 'csp-garbage',
    what: 'a policy too short to parse',
    routes: page(hardened({ 'content-security-policy': 'none' })),
  },
  {
    name: 'csp-frame-ancestors-any',
    what: 'frame-ancestors * (any site may frame the page) and no X-Frame-Options',
    routes: page(
      hardened({
        'content-security-policy': "default-src 'self'; frame-ancestors *",
        'x-frame-options': undefined,
      }),
    ),
    deliberate: {
      tests: ['x-frame-options'],
      reason: 'Observatory’s code credits any frame-ancestors, even *; it protects nothing',
    },
  },

  // X-Frame-Options, X-Content-Type-Options, Referrer-Policy, CORP
  {
    name: 'xfo-sameorigin',
    what: 'SAMEORIGIN and no frame-ancestors',
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'", 'x-frame-options': 'SAMEORIGIN' }),
    ),
  },
  {
    name: 'xfo-allow-from',
    what: 'ALLOW-FROM',
    routes: page(
      hardened({
        'content-security-policy': "default-src 'self'",
        'x-frame-options': 'ALLOW-FROM https://a.example',
      }),
    ),
  },
  {
    name: 'xfo-invalid',
    what: 'X-Frame-Options: ALLOWALL',
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'", 'x-frame-options': 'ALLOWALL' }),
    ),
  },
  {
    name: 'xfo-repeated',
    what: 'X-Frame-Options sent twice',
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'", 'x-frame-options': ['DENY', 'DENY'] }),
    ),
  },
  {
    name: 'xcto-invalid',
    what: 'X-Content-Type-Options: sniff',
    routes: page(hardened({ 'x-content-type-options': 'sniff' })),
  },
  {
    name: 'xcto-repeated',
    what: 'X-Content-Type-Options sent twice',
    routes: page(hardened({ 'x-content-type-options': ['nosniff', 'nosniff'] })),
  },
  {
    name: 'referrer-unsafe',
    what: 'Referrer-Policy: unsafe-url',
    routes: page(hardened({ 'referrer-policy': 'unsafe-url' })),
  },
  {
    name: 'referrer-invalid',
    what: 'Referrer-Policy: nope',
    routes: page(hardened({ 'referrer-policy': 'nope' })),
  },
  {
    name: 'referrer-fallback',
    what: 'a fallback list: the last recognised token wins',
    routes: page(hardened({ 'referrer-policy': 'no-referrer, some-future-policy' })),
  },
  {
    name: 'referrer-meta',
    what: 'unsafe header, overridden by <meta name="referrer">',
    routes: page(
      hardened({ 'referrer-policy': 'unsafe-url' }),
      html('<meta name="referrer" content="no-referrer">'),
    ),
  },
  {
    name: 'corp-same-site',
    what: 'CORP same-site',
    routes: page(hardened({ 'cross-origin-resource-policy': 'same-site' })),
  },
  {
    name: 'corp-cross-origin',
    what: 'CORP cross-origin',
    routes: page(hardened({ 'cross-origin-resource-policy': 'cross-origin' })),
  },
  {
    name: 'corp-invalid',
    what: 'CORP: none',
    routes: page(hardened({ 'cross-origin-resource-policy': 'none' })),
  },

  // Cookies
  {
    name: 'cookie-session-insecure',
    what: 'a session cookie without Secure, no HSTS',
    routes: cookiesNoHsts('sessionid=1; Path=/; HttpOnly; SameSite=Lax'),
  },
  {
    name: 'cookie-session-insecure-hsts',
    what: 'a session cookie without Secure, HSTS on',
    routes: cookies('sessionid=1; Path=/; HttpOnly; SameSite=Lax'),
  },
  {
    name: 'cookie-session-short-hsts',
    what: 'a session cookie without Secure, HSTS shorter than six months',
    routes: page(
      hardened({
        'set-cookie': 'sessionid=1; Path=/; HttpOnly',
        'strict-transport-security': 'max-age=86400',
      }),
    ),
  },
  {
    name: 'cookie-session-script-readable',
    what: 'a Secure session cookie without HttpOnly',
    routes: cookies('login_token=1; Path=/; Secure; SameSite=Strict'),
  },
  {
    name: 'cookie-plain-insecure',
    what: 'a non-session cookie without Secure, no HSTS',
    routes: cookiesNoHsts('theme=dark; Path=/'),
  },
  {
    name: 'cookie-plain-insecure-hsts',
    what: 'a non-session cookie without Secure, HSTS on',
    routes: cookies('theme=dark; Path=/'),
  },
  {
    name: 'cookie-samesite-none-insecure',
    what: 'SameSite=None without Secure',
    routes: cookies('tracker=1; Path=/; SameSite=None'),
  },
  {
    name: 'cookie-samesite-invalid',
    what: 'SameSite=Sometimes',
    routes: cookies('pref=1; Path=/; Secure; SameSite=Sometimes'),
  },
  {
    name: 'cookie-samesite-empty',
    what: 'SameSite with no value',
    routes: cookies('pref=1; Path=/; Secure; SameSite'),
  },
  {
    name: 'cookie-csrf-no-samesite',
    what: 'an anti-CSRF cookie without SameSite',
    routes: cookies('csrftoken=abc; Path=/; Secure'),
  },
  {
    name: 'cookie-secure-no-samesite',
    what: 'Secure + HttpOnly session cookie without SameSite (no bonus)',
    routes: cookies('sessionid=1; Path=/; Secure; HttpOnly'),
  },
  {
    name: 'cookie-host-prefix-broken',
    what: 'a __Host- cookie with a Domain (rejected by clients) next to a good one',
    routes: cookies(
      `__Host-sess=1; Path=/; Secure; HttpOnly; Domain=${DOMAIN}`,
      'pref=1; Path=/; Secure; SameSite=Lax',
    ),
  },
  {
    name: 'cookie-secure-prefix-broken',
    what: 'a __Secure- cookie without Secure (rejected by clients)',
    routes: cookies(
      '__Secure-sess=1; Path=/; HttpOnly; SameSite=Lax',
      'pref=1; Path=/; Secure; SameSite=Lax',
    ),
  },
  {
    name: 'cookie-overwritten',
    what: 'the same cookie set twice: first without Secure, then with',
    routes: cookies('sessionid=1; Path=/', 'sessionid=2; Path=/; Secure; HttpOnly; SameSite=Lax'),
  },
  {
    name: 'cookie-cleared',
    what: 'a session cookie being deleted (Max-Age=0) without Secure',
    routes: cookiesNoHsts('sessionid=; Path=/; Max-Age=0'),
  },
  {
    name: 'cookie-foreign-domain',
    what: 'a cookie for another domain (rejected by clients) without Secure',
    routes: cookies('sessionid=1; Path=/; Domain=other.example', 'pref=1; Path=/; Secure; SameSite=Strict'),
  },

  // CORS (Observatory sends a preflight, VIOscan a GET; the sites answer both alike)
  {
    name: 'cors-public',
    what: 'Access-Control-Allow-Origin: *',
    routes: page(hardened({ 'access-control-allow-origin': '*' })),
  },
  {
    name: 'cors-public-credentials',
    what: 'ACAO * with credentials (browsers refuse credentials with *)',
    routes: page(
      hardened({ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }),
    ),
  },
  {
    name: 'cors-reflected',
    what: 'the Origin reflected, no credentials',
    routes: { '/': reflectOrigin(false) },
  },
  {
    name: 'cors-reflected-credentials',
    what: 'any Origin reflected with Access-Control-Allow-Credentials: true',
    routes: { '/': reflectOrigin(true) },
    deliberate: {
      tests: ['cross-origin-resource-sharing'],
      reason:
        'Observatory’s code reads the Origin it sent from response.request.headers, which its HTTP client does not fill, so it never finds reflection; its documentation scores this −50',
    },
  },
  {
    name: 'cors-fixed-origin',
    what: 'one fixed partner origin with credentials',
    routes: page(
      hardened({
        'access-control-allow-origin': 'https://partner.example',
        'access-control-allow-credentials': 'true',
      }),
    ),
  },

  // Subresource Integrity
  {
    name: 'sri-external-missing',
    what: 'an external https script without integrity',
    routes: page(hardened(), html(script('https://cdn.example.com/lib.js'))),
  },
  {
    name: 'sri-external-http',
    what: 'an external http script without integrity',
    routes: page(hardened(), html(script('http://cdn.example.com/lib.js'))),
  },
  {
    name: 'sri-protocol-relative',
    what: 'a protocol-relative external script with integrity',
    routes: page(hardened(), html(script('//cdn.example.com/lib.js', SRI_HASH))),
  },
  {
    name: 'sri-same-origin-integrity',
    what: 'a same-origin script with integrity',
    routes: page(hardened(), html(script('/app.js', SRI_HASH))),
  },
  {
    name: 'sri-same-site',
    what: 'a script from a sibling host of the same registrable domain, no integrity',
    routes: page(hardened(), html(script(`https://static.${DOMAIN}/app.js`))),
  },
  {
    name: 'sri-inline-only',
    what: 'inline scripts only',
    routes: page(
      hardened({ 'content-security-policy': "default-src 'self'; script-src 'sha256-abc='" }),
      html('<script>1</script>'),
    ),
  },
  {
    name: 'sri-mixed',
    what: 'one external script with integrity, one without',
    routes: page(
      hardened(),
      html(`${script('https://cdn.example.com/a.js', SRI_HASH)}${script('https://cdn.example.com/b.js')}`),
    ),
  },
  {
    name: 'not-html',
    what: 'a JSON document: no SRI or meta tags apply',
    routes: page(hardened({ 'content-type': 'application/json' }), '{"ok":true}'),
  },

  // Certificates
  { name: 'cert-expired', what: 'an expired certificate', tls: 'expired', routes: page(hardened()) },
  {
    name: 'cert-self-signed',
    what: 'a self-signed certificate',
    tls: 'self-signed',
    routes: page(hardened()),
  },
  {
    name: 'cert-wrong-host',
    what: 'a certificate for another name',
    tls: 'wrong-host',
    routes: page(hardened()),
  },
];
