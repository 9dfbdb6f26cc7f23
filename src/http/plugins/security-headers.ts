import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Strict CSP: nothing inline, nothing from elsewhere. Pages that need a <script> or <style>
 * use the per-request nonces that @fastify/helmet puts on `reply.cspNonce` (CSP3 §6.7.1).
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

/**
 * The headers for answers written outside fastify's request cycle (a raw 431 on the socket),
 * where no nonce is needed because the body is JSON.
 */
export function staticSecurityHeaders(encrypted: boolean): Record<string, string> {
  const csp = Object.entries(cspDirectives).map(([name, values]) => `${name} ${values.join(' ')}`);
  if (encrypted) csp.push('upgrade-insecure-requests');
  return {
    'content-security-policy': csp.join(';'),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': permissionsPolicy,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
    ...(encrypted ? { 'strict-transport-security': HSTS } : {}),
  };
}

export interface SecurityHeadersOptions {
  /** The analytics origin allowed to serve a script and receive events (src/modules/privacy/analytics.ts). */
  analyticsOrigin?: string | undefined;
}

async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectivesFor(options.analyticsOrigin) },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // no-referrer: links from a report to a scanned site must not tell that site about VIOscan.
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Set below per request: HSTS over plain HTTP is ignored by browsers (RFC 6797 §8.1)
    // and would wrongly claim HTTPS on a development instance.
    strictTransportSecurity: false,
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('permissions-policy', permissionsPolicy);
    // request.protocol honours TRUST_PROXY: X-Forwarded-Proto counts only from a trusted hop.
    if (request.protocol === 'https') {
      reply.header('strict-transport-security', HSTS);
      const csp = reply.raw.getHeader('content-security-policy');
      if (typeof csp === 'string')
        reply.raw.setHeader('content-security-policy', `${csp};upgrade-insecure-requests`);
    }
  });
}

export default fp(securityHeaders, { name: 'vioscan-security-headers', fastify: '5.x' });
