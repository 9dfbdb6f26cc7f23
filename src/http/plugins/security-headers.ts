import { randomFillSync } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Strict CSP: nothing inline, nothing from elsewhere. Pages that need a <script> or <style>
 * use the per-request nonces on `reply.cspNonce` (CSP3 §6.7.1).
 * base-uri 'none' stops <base> injection from redirecting relative script URLs.
 */
export const cspDirectives: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

/**
 * The policy for pages and API answers; `analyticsOrigin` (Plausible, only when PLAUSIBLE_DOMAIN is
 * set) is added to script-src and connect-src and nowhere else.
 */
export function cspDirectivesFor(analyticsOrigin?: string): Record<string, string[]> {
  if (!analyticsOrigin) return cspDirectives;
  return {
    ...cspDirectives,
    'script-src': [...cspDirectives['script-src']!, analyticsOrigin],
    'connect-src': [...cspDirectives['connect-src']!, analyticsOrigin],
  };
}

/** Powerful features VIOscan never uses are switched off for every frame (W3C Permissions Policy). */
export const permissionsPolicy = [
  'accelerometer=()',
  'autoplay=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'encrypted-media=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'interest-cohort=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'picture-in-picture=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

/** Two years, as hstspreload.org asks; subdomains included (RFC 6797 §6.1.2). */
export const HSTS = 'max-age=63072000; includeSubDomains';

/** Sent on every document (any answer that is not JSON), as helmet's defaults did, with our policies. */
const DOCUMENT_HEADERS: [string, string][] = [
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  // no-referrer: links from a report to a scanned site must not tell that site about VIOscan.
  ['referrer-policy', 'no-referrer'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'DENY'],
  ['x-permitted-cross-domain-policies', 'none'],
  // 0: the legacy XSS auditor is itself an information leak (OWASP Secure Headers).
  ['x-xss-protection', '0'],
  ['permissions-policy', permissionsPolicy],
];

/**
 * On JSON answers, the set of the OWASP REST Security Cheat Sheet: a browser never runs a JSON
 * answer as a page, so a policy that allows nothing, no framing, no sniffing, no referrer, and no
 * reading from another origin (CORP, against Spectre-style leaks) is all that applies. The headers
 * that only a document's scripts or features would heed stay off, which keeps API answers small.
 */
export const API_CSP = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'";
const API_HEADERS: [string, string][] = [
  ['cross-origin-resource-policy', 'same-origin'],
  ['referrer-policy', 'no-referrer'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
];

/** application/json, application/problem+json and other `+json` types. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\b/i;

function serialisePolicy(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join(';');
}

/** The headers for a JSON answer written outside fastify's request cycle (a raw 431 on the socket). */
export function staticSecurityHeaders(encrypted: boolean): Record<string, string> {
  return {
    'content-security-policy': API_CSP,
    ...Object.fromEntries(API_HEADERS),
    ...(encrypted ? { 'strict-transport-security': HSTS } : {}),
  };
}

const NONCE_BYTES = 16;
const POOL_BYTES = 4096;

/**
 * Fresh CSP nonces from a pool of random bytes filled by the CSPRNG 4 KiB at a time: each nonce
 * is 16 bytes no other nonce shares, as randomBytes(16) would give, without a call per nonce.
 */
class NoncePool {
  private readonly pool = Buffer.alloc(POOL_BYTES);
  private offset = POOL_BYTES;

  next(): string {
    if (this.offset + NONCE_BYTES > POOL_BYTES) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const nonce = this.pool.toString('hex', this.offset, this.offset + NONCE_BYTES);
    this.offset += NONCE_BYTES;
    return nonce;
  }
}

declare module 'fastify' {
  interface FastifyReply {
    /** This answer's CSP nonces, for a server-rendered page's <script> and <style> elements. */
    readonly cspNonce: { script: string; style: string };
  }
}

export interface SecurityHeadersOptions {
  /** The analytics origin allowed to serve a script and receive events (src/modules/privacy/analytics.ts). */
  analyticsOrigin?: string | undefined;
}

/**
 * The policy split where each per-request nonce goes, so an answer's CSP is three
 * concatenations rather than a serialisation of the directives.
 */
function policyTemplate(directives: Record<string, string[]>): (script: string, style: string) => string {
  const [beforeScript = '', between = '', after = ''] = serialisePolicy({
    ...directives,
    'script-src': [...(directives['script-src'] ?? []), "'nonce-SCRIPT'"],
    'style-src': [...(directives['style-src'] ?? []), "'nonce-STYLE'"],
  }).split(/SCRIPT|STYLE/);
  return (script, style) => `${beforeScript}${script}${between}${style}${after}`;
}

const NONCES = Symbol('cspNonces');
type WithNonces = FastifyReply & { [NONCES]?: { script: string; style: string } };

/**
 * Every answer gets its headers at onSend, once its type is known: a document (HTML, and anything
 * else that is not JSON) the full set and a CSP with this answer's nonces, a JSON answer the API
 * set. A CSP that a handler set itself (evidence downloads: `sandbox`) is kept. Nonces are drawn
 * only when a handler reads `reply.cspNonce` or a document is sent.
 */
async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  const policy = policyTemplate(cspDirectivesFor(options.analyticsOrigin));
  const pool = new NoncePool();
  const noncesOf = (reply: WithNonces) => (reply[NONCES] ??= { script: pool.next(), style: pool.next() });
  app.decorateReply('cspNonce', {
    getter(this: FastifyReply) {
      return noncesOf(this);
    },
  });

  // A callback hook, not an async one: it runs on every answer and never waits.
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    // request.protocol honours TRUST_PROXY: X-Forwarded-Proto counts only from a trusted hop.
    // HSTS over plain HTTP is ignored by browsers (RFC 6797 §8.1) and would wrongly claim HTTPS
    // on a development instance.
    const https = request.protocol === 'https';
    const json = JSON_TYPE.test(String(reply.getHeader('content-type') ?? ''));
    if (!reply.hasHeader('content-security-policy')) {
      let csp = API_CSP;
      if (!json) {
        const { script, style } = noncesOf(reply);
        csp = https ? `${policy(script, style)};upgrade-insecure-requests` : policy(script, style);
      }
      reply.header('content-security-policy', csp);
    }
    for (const [name, value] of json ? API_HEADERS : DOCUMENT_HEADERS) reply.header(name, value);
    if (https) reply.header('strict-transport-security', HSTS);
    done(null, payload);
  });
}

export default fp(securityHeaders, { name: 'vioscan-security-headers', fastify: '5.x' });
