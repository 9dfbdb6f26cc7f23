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

/** Sent on every answer, as helmet's defaults did, with our policies in place of its. */
const FIXED_HEADERS: [string, string][] = [
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

function serialisePolicy(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join(';');
}

/**
 * The headers for answers written outside fastify's request cycle (a raw 431 on the socket),
 * where no nonce is needed because the body is JSON.
 */
export function staticSecurityHeaders(encrypted: boolean): Record<string, string> {
  const csp = serialisePolicy(cspDirectives);
  return {
    'content-security-policy': encrypted ? `${csp};upgrade-insecure-requests` : csp,
    ...Object.fromEntries(FIXED_HEADERS),
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
    cspNonce: { script: string; style: string };
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

async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  const policy = policyTemplate(cspDirectivesFor(options.analyticsOrigin));
  const nonces = new NoncePool();
  app.decorateReply('cspNonce', null as unknown as FastifyReply['cspNonce']);

  // A callback hook, not an async one: it runs on every request and never waits.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const script = nonces.next();
    const style = nonces.next();
    reply.cspNonce = { script, style };
    // request.protocol honours TRUST_PROXY: X-Forwarded-Proto counts only from a trusted hop.
    // HSTS over plain HTTP is ignored by browsers (RFC 6797 §8.1) and would wrongly claim HTTPS
    // on a development instance.
    const https = request.protocol === 'https';
    reply.header(
      'content-security-policy',
      https ? `${policy(script, style)};upgrade-insecure-requests` : policy(script, style),
    );
    for (const [name, value] of FIXED_HEADERS) reply.header(name, value);
    if (https) reply.header('strict-transport-security', HSTS);
    done();
  });
}

export default fp(securityHeaders, { name: 'vioscan-security-headers', fastify: '5.x' });
