/**
 * `headersScore` / `headersGrade`: the MDN HTTP Observatory's published scoring, so users can compare
 * (mdn/mdn-http-observatory src/grader/charts.js SCORE_TABLE and src/scanner/index.js, ALGORITHM_VERSION 4).
 * Method: score starts at 100; each of the 10 tests adds the modifier of its result; positive modifiers
 * count only when the score with penalties alone is ≥ 90; floor at 0; grade from the score rounded down
 * to a multiple of 5 (capped at 100). See docs/scoring.md for the table and worked examples.
 */
import type { Artefacts } from '../types.ts';
import { gradeFor, scoreFromModifiers } from './grade.ts';
import { OBSERVATORY_TESTS } from './observatory-tests.ts';

export const OBSERVATORY_ALGORITHM_VERSION = 4;

/** Observatory result id → score modifier (charts.js SCORE_TABLE, the entries for algorithm version 4). */
export const OBSERVATORY_MODIFIERS: Record<string, number> = {
  'csp-implemented-with-no-unsafe-default-src-none': 10,
  'csp-implemented-with-no-unsafe': 5,
  'csp-implemented-with-unsafe-inline-in-style-src-only': 0,
  'csp-implemented-with-insecure-scheme-in-passive-content-only': -10,
  'csp-implemented-with-unsafe-eval': -10,
  'csp-implemented-with-unsafe-inline': -20,
  'csp-implemented-with-insecure-scheme': -20,
  'csp-header-invalid': -25,
  'csp-not-implemented': -25,
  'csp-not-implemented-but-reporting-enabled': -25,
  'csp-implemented-but-duplicate-directives': 0,
  'cookies-secure-with-httponly-sessions-and-samesite': 5,
  'cookies-secure-with-httponly-sessions': 0,
  'cookies-not-found': 0,
  'cookies-without-secure-flag-but-protected-by-hsts': -5,
  'cookies-session-without-secure-flag-but-protected-by-hsts': -10,
  'cookies-without-secure-flag': -20,
  'cookies-samesite-flag-invalid': -20,
  'cookies-anticsrf-without-samesite-flag': -20,
  'cookies-session-without-httponly-flag': -30,
  'cookies-session-without-secure-flag': -40,
  'cross-origin-resource-sharing-not-implemented': 0,
  'cross-origin-resource-sharing-implemented-with-public-access': 0,
  'cross-origin-resource-sharing-implemented-with-restricted-access': 0,
  'cross-origin-resource-sharing-implemented-with-universal-access': -50,
  'redirection-all-redirects-preloaded': 0,
  'redirection-to-https': 0,
  'redirection-not-needed-no-http': 0,
  'redirection-off-host-from-http': -5,
  'redirection-not-to-https-on-initial-redirection': -10,
  'redirection-not-to-https': -20,
  'redirection-missing': -20,
  'redirection-invalid-cert': -20,
  'referrer-policy-private': 5,
  'referrer-policy-not-implemented': 0,
  'referrer-policy-unsafe': -5,
  'referrer-policy-header-invalid': -5,
  'hsts-preloaded': 5,
  'hsts-implemented-max-age-at-least-six-months': 0,
  'hsts-implemented-max-age-less-than-six-months': -10,
  'hsts-not-implemented': -20,
  'hsts-header-invalid': -20,
  'hsts-not-implemented-no-https': -20,
  'hsts-invalid-cert': -20,
  'sri-implemented-and-all-scripts-loaded-securely': 5,
  'sri-implemented-and-external-scripts-loaded-securely': 5,
  'sri-not-implemented-response-not-html': 0,
  'sri-not-implemented-but-no-scripts-loaded': 0,
  'sri-not-implemented-but-all-scripts-loaded-from-secure-origin': 0,
  'sri-not-implemented-but-external-scripts-loaded-securely': -5,
  'sri-implemented-but-external-scripts-not-loaded-securely': -20,
  'sri-not-implemented-and-external-scripts-not-loaded-securely': -50,
  'x-content-type-options-nosniff': 0,
  'x-content-type-options-not-implemented': -5,
  'x-content-type-options-header-invalid': -5,
  'x-frame-options-implemented-via-csp': 5,
  'x-frame-options-sameorigin-or-deny': 0,
  'x-frame-options-allow-from-origin': 0,
  'x-frame-options-not-implemented': -20,
  'x-frame-options-header-invalid': -20,
  'corp-implemented-with-same-origin': 10,
  'corp-implemented-with-same-site': 10,
  'corp-implemented-with-cross-origin': 0,
  'corp-not-implemented': 0,
  'corp-header-invalid': -5,
  'html-not-parseable': -20,
};

export interface ObservatoryTestResult {
  test: string;
  result: string;
  modifier: number;
}

export function observatoryResults(artefacts: Artefacts): ObservatoryTestResult[] {
  return OBSERVATORY_TESTS.map(({ name, classify }) => {
    const outcome = classify(artefacts);
    return { test: name, result: outcome, modifier: OBSERVATORY_MODIFIERS[outcome] ?? 0 };
  });
}

export function headersScoreFromModifiers(modifiers: readonly number[]): number {
  return scoreFromModifiers(modifiers);
}

export function headersScore(artefacts: Artefacts): number {
  return headersScoreFromModifiers(observatoryResults(artefacts).map((r) => r.modifier));
}

/** Observatory rounds down to a multiple of 5 and caps at 100 before looking up the grade; our bands agree. */
export function headersGrade(score: number): string {
  const clamped = Math.max(0, score);
  return gradeFor(Math.min(clamped - (clamped % 5), 100));
}
