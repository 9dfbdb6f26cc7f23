/**
 * The one score table: for every check outcome, the severity of its findings and the score modifier.
 * Checks never carry weights themselves (STYLE §5). Bump SCORING_VERSION on any change here, so
 * reports say which table graded them.
 *
 * Modifiers follow the MDN HTTP Observatory's scale where the same test exists there
 * (e.g. CSP missing −25, HSTS missing −20, session cookie without Secure −40) so grades feel familiar;
 * transport and disclosure checks, which Observatory lacks, are weighted on the same scale.
 */
import type { Category, Severity } from '../types.ts';

export const SCORING_VERSION = 3;

export interface OutcomeScore {
  severity: Severity;
  /** Added to the score of 100; positive values are bonuses (counted only at grade A, as in Observatory). */
  modifier: number;
}

/** Days to fix a finding of each severity (the product promise; `info` has no deadline). */
export const REMEDIATION_DAYS: Record<Severity, number | undefined> = {
  critical: 1,
  high: 3,
  medium: 30,
  low: 90,
  info: undefined,
};

/**
 * Categories graded on their own and left out of the overall grade. Accessibility problems are real
 * but are not security or privacy violations: a page with poor contrast must not read as insecure.
 * Privacy counts towards the overall grade (docs/scoring.md).
 */
export const SEPARATELY_GRADED: readonly Category[] = ['accessibility'];

const ok = (modifier = 0): OutcomeScore => ({ severity: 'info', modifier });
const s = (severity: Severity, modifier: number): OutcomeScore => ({ severity, modifier });

export const SCORE_TABLE: Record<string, OutcomeScore> = {
  // transport
  'https-available': ok(),
  'https-not-used': s('critical', -50),
  'http-redirect-missing': s('medium', -20),
  'http-redirect-not-to-https': s('medium', -20),
  'http-redirect-not-https-first': s('low', -10),
  'http-redirect-off-host': s('low', -5),
  'http-redirect-to-https': ok(),
  'http-redirect-not-needed': ok(),
  'tls-versions-legacy-only': s('critical', -50),
  'tls-versions-legacy-offered': s('high', -20),
  'tls-versions-without-tls13': s('low', -5),
  'tls-versions-modern': ok(),
  'certificate-untrusted': s('critical', -50),
  'certificate-hostname-mismatch': s('critical', -50),
  'certificate-expired': s('critical', -50),
  'certificate-not-yet-valid': s('critical', -50),
  'certificate-weak-key': s('high', -20),
  'certificate-weak-signature': s('high', -20),
  'certificate-expiring-soon': s('medium', -5),
  'certificate-valid': ok(),
  'hsts-not-https': s('high', -20),
  'hsts-missing': s('medium', -20),
  'hsts-invalid': s('medium', -20),
  'hsts-max-age-too-short': s('medium', -10),
  'hsts-preload-not-ready': s('low', 0),
  'hsts-enabled': ok(),
  'hsts-preload-ready': ok(5),
  // headers
  'csp-missing': s('high', -25),
  'csp-report-only': s('high', -25),
  'csp-invalid': s('high', -25),
  'csp-unsafe-inline': s('high', -20),
  'csp-wildcard-source': s('high', -20),
  'csp-insecure-source': s('medium', -20),
  'csp-unsafe-eval': s('medium', -10),
  'csp-missing-directive': s('low', -5),
  'csp-unsafe-inline-style': s('low', 0),
  'csp-restrictive': ok(10),
  'x-content-type-options-missing': s('low', -5),
  'x-content-type-options-invalid': s('low', -5),
  'x-content-type-options-nosniff': ok(),
  'frame-options-missing': s('medium', -20),
  'frame-options-permissive': s('medium', -20),
  'frame-options-invalid': s('medium', -20),
  'frame-options-allow-from': s('low', -5),
  'frame-options-x-frame-options': ok(),
  'frame-options-frame-ancestors': ok(5),
  'referrer-policy-unsafe': s('medium', -5),
  'referrer-policy-invalid': s('low', -5),
  'referrer-policy-missing': s('low', 0),
  'referrer-policy-private': ok(5),
  'permissions-policy-invalid': s('low', -5),
  'permissions-policy-feature-policy-only': s('low', 0),
  'permissions-policy-missing': s('low', 0),
  'permissions-policy-present': ok(),
  'cross-origin-opener-policy-invalid': s('low', -5),
  'cross-origin-opener-policy-unsafe-none': s('low', 0),
  'cross-origin-opener-policy-missing': s('low', 0),
  'cross-origin-opener-policy-allow-popups': ok(),
  'cross-origin-opener-policy-same-origin': ok(5),
  'cross-origin-resource-policy-invalid': s('low', -5),
  'cross-origin-resource-policy-missing': s('info', 0),
  'cross-origin-resource-policy-cross-origin': ok(),
  'cross-origin-resource-policy-restricted': ok(5),
  'cross-origin-embedder-policy-invalid': s('low', -5),
  'cross-origin-embedder-policy-unsafe-none': s('info', 0),
  'cross-origin-embedder-policy-missing': s('info', 0),
  'cross-origin-embedder-policy-enabled': ok(5),
  'cors-reflected-origin-with-credentials': s('critical', -50),
  'cors-null-origin-with-credentials': s('high', -50),
  'cors-reflected-origin': s('medium', -10),
  'cors-wildcard': s('info', 0),
  'cors-restricted': ok(),
  'cors-not-enabled': ok(),
  'server-disclosure-version': s('low', -5),
  'server-disclosure-none': ok(),
  // cookies
  'cookie-flags-session-missing-secure': s('high', -40),
  'cookie-flags-session-missing-httponly': s('high', -30),
  'cookie-flags-missing-secure': s('medium', -20),
  'cookie-flags-samesite-none-insecure': s('medium', -10),
  'cookie-flags-samesite-invalid': s('low', -5),
  'cookie-flags-samesite-missing': s('low', 0),
  'cookie-flags-secure': ok(5),
  'cookie-flags-none-set': ok(),
  'cookie-prefixes-host-invalid': s('medium', -10),
  'cookie-prefixes-secure-invalid': s('medium', -10),
  'cookie-prefixes-not-used': s('info', 0),
  'cookie-prefixes-valid': ok(),
  'cookie-prefixes-none-set': ok(),
  'cookie-lifetime-session-too-long': s('low', -5),
  'cookie-lifetime-too-long': s('low', 0),
  'cookie-lifetime-reasonable': ok(),
  'cookie-lifetime-none-set': ok(),
  // content
  'mixed-content-active': s('high', -20),
  'mixed-content-passive': s('low', -5),
  'mixed-content-none': ok(),
  'mixed-content-not-applicable': ok(),
  'sri-missing-insecure': s('high', -50),
  'sri-missing-script': s('medium', -5),
  'sri-missing-stylesheet': s('low', 0),
  'sri-protected': ok(5),
  'sri-not-needed': ok(),
  'form-actions-password-over-http': s('critical', -40),
  'form-actions-insecure-action': s('high', -20),
  'form-actions-secure': ok(),
  'form-actions-none': ok(),
  // disclosure
  'security-txt-missing': s('low', -5),
  'security-txt-not-https': s('medium', -10),
  'security-txt-missing-contact': s('medium', -10),
  'security-txt-missing-expires': s('medium', -5),
  'security-txt-expired': s('medium', -10),
  'security-txt-wrong-content-type': s('low', -5),
  'security-txt-expires-too-far': s('low', 0),
  'security-txt-canonical-mismatch': s('low', 0),
  'security-txt-invalid-field': s('low', 0),
  'security-txt-valid': ok(),
  'exposed-files-found': s('critical', -50),
  'exposed-files-none': ok(),
  'directory-listing-enabled': s('medium', -10),
  'directory-listing-none': ok(),
  'http-trace-enabled': s('low', -5),
  'http-trace-disabled': ok(),
  // privacy (browser stage, `--browser`); `-incomplete` and `-not-observed` are judged elsewhere or not at all
  'pre-consent-tracking-cookies': s('high', -25),
  'pre-consent-tracking-requests': s('medium', -15),
  'pre-consent-tracking-none': ok(),
  'pre-consent-tracking-incomplete': ok(),
  'pre-consent-tracking-not-observed': ok(),
  'consent-rejection-ignored': s('high', -40),
  'consent-rejection-trackers-contacted': s('high', -25),
  'consent-rejection-failed': s('low', -5),
  'consent-rejection-honoured': ok(),
  'consent-rejection-no-banner': ok(),
  'consent-rejection-incomplete': ok(),
  'consent-rejection-not-observed': ok(),
  'consent-banner-missing': s('medium', -20),
  'consent-banner-found': ok(),
  'consent-banner-not-needed': ok(),
  'consent-banner-incomplete': ok(),
  'consent-banner-not-observed': ok(),
  'gpc-ignored-despite-claim': s('high', -20),
  'gpc-ignored': s('medium', -10),
  'gpc-well-known-invalid': s('low', 0),
  'gpc-honoured': ok(),
  'gpc-incomplete': ok(),
  'gpc-not-observed': ok(),
  'third-party-cookies-long-lived': s('low', -10),
  'third-party-cookies-set': s('low', -5),
  'third-party-cookies-none': ok(),
  'third-party-cookies-incomplete': ok(),
  'third-party-cookies-not-observed': ok(),
  'fingerprinting-third-party': s('high', -25),
  'fingerprinting-first-party': s('medium', -10),
  'fingerprinting-none': ok(),
  'fingerprinting-incomplete': ok(),
  'fingerprinting-not-observed': ok(),
  'session-replay-found': s('medium', -15),
  'session-replay-none': ok(),
  'session-replay-incomplete': ok(),
  'session-replay-not-observed': ok(),
  'key-logging-third-party': s('critical', -50),
  'key-logging-first-party': s('high', -20),
  'key-logging-none': ok(),
  'key-logging-no-inputs': ok(),
  'key-logging-incomplete': ok(),
  'key-logging-not-observed': ok(),
  'advertising-pixels-advanced-matching': s('high', -20),
  'advertising-pixels-sent': s('medium', -10),
  'advertising-pixels-none': ok(),
  'advertising-pixels-incomplete': ok(),
  'advertising-pixels-not-observed': ok(),
  'storage-identifiers-third-party': s('low', -5),
  'storage-identifiers-none': ok(),
  'storage-identifiers-incomplete': ok(),
  'storage-identifiers-not-observed': ok(),
  // accessibility (own grade, not part of the overall one): severity follows axe-core's impact
  'accessibility-critical-violation': s('high', -40),
  'accessibility-serious-violation': s('medium', -25),
  'accessibility-moderate-violation': s('low', -10),
  'accessibility-minor-violation': s('low', -5),
  'accessibility-no-violations': ok(),
  'accessibility-incomplete': ok(),
  'accessibility-not-observed': ok(),
};

/** Outcomes the runner itself produces (`<id>-error`, `<id>-skipped`) score nothing. */
export function scoreFor(outcome: string): OutcomeScore | undefined {
  return SCORE_TABLE[outcome];
}
