/**
 * Root causes: findings that one piece of work resolves together. Plain HTTP explains the missing
 * redirect, HSTS, the password form over HTTP and the cookie without Secure; one TLS configuration
 * change fixes the protocol, suite and key-exchange findings. A finding belongs to the first rule
 * naming its outcome or check; a rule that catches findings of one check only gives way to that
 * check's own cause (its title and fix are the more precise ones). Code in `fix` is in backticks:
 * renderers show it as code.
 */
import type { Category, Effort } from '../types.ts';

export interface CauseRule {
  id: string;
  title: string;
  fix: string;
  effort: Effort;
  /** Outcome ids it explains. */
  outcomes?: readonly string[];
  /** Check ids it explains (any outcome). */
  checks?: readonly string[];
}

export const CAUSE_RULES: readonly CauseRule[] = [
  {
    id: 'https-only',
    title: 'Serve the whole site over HTTPS',
    fix:
      'Serve every page over HTTPS and redirect each `http://` URL to `https://` on the same host (301), ' +
      'then send `Strict-Transport-Security: max-age=31536000; includeSubDomains`, mark cookies `Secure`, ' +
      'and load every resource and post every form over `https:`.',
    effort: 'hours',
    outcomes: [
      'https-not-used',
      'http-redirect-missing',
      'http-redirect-not-to-https',
      'http-redirect-not-https-first',
      'http-redirect-off-host',
      'hsts-not-https',
      'hsts-missing',
      'hsts-invalid',
      'hsts-max-age-too-short',
      'form-actions-password-over-http',
      'form-actions-insecure-action',
      'cookie-flags-session-missing-secure',
      'cookie-flags-missing-secure',
      'cookie-flags-samesite-none-insecure',
      'mixed-content-active',
      'mixed-content-passive',
      'security-txt-not-https',
    ],
  },
  {
    id: 'tls-configuration',
    title: 'Update the TLS configuration',
    fix:
      "Apply Mozilla's intermediate server-side TLS configuration for your server " +
      '(https://ssl-config.mozilla.org): TLS 1.2 and 1.3 only, forward-secret AEAD cipher suites, ' +
      'X25519 and P-256 key exchange, no TLS compression, secure renegotiation.',
    effort: 'hours',
    checks: ['tls-versions', 'tls-cipher-suites', 'tls-key-exchange', 'tls-compression', 'tls-renegotiation'],
  },
  {
    id: 'certificate',
    title: 'Replace or reinstall the certificate',
    fix:
      'Get a certificate for this host name from a trusted CA with automatic renewal (ACME, e.g. ' +
      "Let's Encrypt), a 2048-bit RSA or P-256 key, serve it with its full chain in order, and enable OCSP stapling.",
    effort: 'hours',
    checks: ['certificate', 'certificate-chain', 'ocsp-stapling'],
  },
  {
    id: 'security-headers',
    title: 'Add the missing security headers',
    fix:
      'Send on every response: `X-Content-Type-Options: nosniff`, ' +
      '`Referrer-Policy: strict-origin-when-cross-origin`, `Permissions-Policy: camera=(), microphone=(), geolocation=()`, ' +
      "`Cross-Origin-Opener-Policy: same-origin`, `Cross-Origin-Resource-Policy: same-origin`, and `frame-ancestors 'none'` " +
      'in the Content-Security-Policy (or `X-Frame-Options: DENY`).',
    effort: 'minutes',
    checks: [
      'frame-options',
      'x-content-type-options',
      'referrer-policy',
      'permissions-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'cross-origin-embedder-policy',
    ],
  },
  {
    id: 'cookie-attributes',
    title: 'Set safe cookie attributes',
    fix:
      'Set session cookies as `__Host-name=…; Path=/; Secure; HttpOnly; SameSite=Lax`, and give every other ' +
      'cookie `SameSite` and a lifetime under a year.',
    effort: 'hours',
    checks: ['cookie-flags', 'cookie-prefixes', 'cookie-lifetime'],
  },
  {
    id: 'consent',
    title: 'Load trackers only after consent',
    fix:
      'Load no tracker and set no tracking cookie before the visitor agrees; honour "reject all" and the ' +
      '`Sec-GPC: 1` signal by loading none afterwards (your consent tool can block the tags until consent).',
    effort: 'days',
    checks: ['pre-consent-tracking', 'consent-rejection', 'consent-banner', 'gpc'],
  },
];

/** The effort of a check that is its own cause: by category, with the exceptions named. */
const EFFORT_BY_CATEGORY: Record<Category, Effort> = {
  transport: 'hours',
  headers: 'minutes',
  cookies: 'hours',
  content: 'hours',
  disclosure: 'minutes',
  domain: 'hours',
  privacy: 'days',
  accessibility: 'days',
};
const EFFORT_BY_CHECK: Record<string, Effort> = { csp: 'days', cors: 'hours', sri: 'hours' };

export function checkEffort(checkId: string, category: Category): Effort {
  return EFFORT_BY_CHECK[checkId] ?? EFFORT_BY_CATEGORY[category];
}

export function ruleFor(checkId: string, outcome: string): CauseRule | undefined {
  return CAUSE_RULES.find((r) => r.outcomes?.includes(outcome) || r.checks?.includes(checkId));
}
