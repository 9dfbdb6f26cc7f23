/**
 * The one check registry: analyze() runs exactly these, in this order (also the report order).
 * A test fails when a file in this folder is not listed here.
 */
import type { Check } from '../types.ts';
import { tlsRenegotiation } from './tls-renegotiation.ts';
import { tlsKeyExchange } from './tls-key-exchange.ts';
import { tlsCompression } from './tls-compression.ts';
import { tlsCipherSuites } from './tls-cipher-suites.ts';
import { ocspStapling } from './ocsp-stapling.ts';
import { certificateChain } from './certificate-chain.ts';
import { tlsRpt } from './tls-rpt.ts';
import { spf } from './spf.ts';
import { mtaSts } from './mta-sts.ts';
import { dnssec } from './dnssec.ts';
import { dmarc } from './dmarc.ts';
import { dane } from './dane.ts';
import { caa } from './caa.ts';
import { accessibility } from './accessibility.ts';
import { advertisingPixels } from './advertising-pixels.ts';
import { certificate } from './certificate.ts';
import { consentBanner } from './consent-banner.ts';
import { consentRejection } from './consent-rejection.ts';
import { cookieFlags } from './cookie-flags.ts';
import { cookieLifetime } from './cookie-lifetime.ts';
import { cookiePrefixes } from './cookie-prefixes.ts';
import { cors } from './cors.ts';
import { crossOriginEmbedderPolicy } from './cross-origin-embedder-policy.ts';
import { crossOriginOpenerPolicy } from './cross-origin-opener-policy.ts';
import { crossOriginResourcePolicy } from './cross-origin-resource-policy.ts';
import { csp } from './csp.ts';
import { directoryListing } from './directory-listing.ts';
import { exposedFiles } from './exposed-files.ts';
import { fingerprinting } from './fingerprinting.ts';
import { formActions } from './form-actions.ts';
import { frameOptions } from './frame-options.ts';
import { gpc } from './gpc.ts';
import { hsts } from './hsts.ts';
import { httpRedirect } from './http-redirect.ts';
import { https } from './https.ts';
import { httpTrace } from './http-trace.ts';
import { keyLogging } from './key-logging.ts';
import { mixedContent } from './mixed-content.ts';
import { permissionsPolicy } from './permissions-policy.ts';
import { preConsentTracking } from './pre-consent-tracking.ts';
import { referrerPolicy } from './referrer-policy.ts';
import { securityTxt } from './security-txt.ts';
import { serverDisclosure } from './server-disclosure.ts';
import { sessionReplay } from './session-replay.ts';
import { sri } from './sri.ts';
import { storageIdentifiers } from './storage-identifiers.ts';
import { thirdPartyCookies } from './third-party-cookies.ts';
import { tlsVersions } from './tls-versions.ts';
import { xContentTypeOptions } from './x-content-type-options.ts';

export const CHECKS: readonly Check[] = [
  // transport
  https,
  httpRedirect,
  tlsVersions,
  tlsCipherSuites,
  tlsKeyExchange,
  tlsCompression,
  tlsRenegotiation,
  certificate,
  certificateChain,
  ocspStapling,
  hsts,
  // headers
  csp,
  xContentTypeOptions,
  frameOptions,
  referrerPolicy,
  permissionsPolicy,
  crossOriginOpenerPolicy,
  crossOriginResourcePolicy,
  crossOriginEmbedderPolicy,
  cors,
  serverDisclosure,
  // cookies
  cookieFlags,
  cookiePrefixes,
  cookieLifetime,
  // content
  mixedContent,
  sri,
  formActions,
  // disclosure
  securityTxt,
  // disclosure, active only (artefacts gathered with `active: true`; skipped otherwise)
  exposedFiles,
  directoryListing,
  httpTrace,
  // domain (its own grade, not part of the site's score: docs/scoring.md)
  dnssec,
  caa,
  spf,
  dmarc,
  mtaSts,
  tlsRpt,
  dane,
  // privacy: the browser stage (`browser: true`, CLI `--browser`); skipped otherwise
  preConsentTracking,
  consentRejection,
  consentBanner,
  gpc,
  thirdPartyCookies,
  fingerprinting,
  sessionReplay,
  keyLogging,
  advertisingPixels,
  storageIdentifiers,
  // accessibility: the browser stage too; its own grade, outside the overall one
  accessibility,
];

export function getCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
