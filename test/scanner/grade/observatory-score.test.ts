import { describe, expect, it } from 'vitest';
import {
  headersGrade,
  headersScore,
  observatoryResults,
} from '../../../src/scanner/grade/observatory-score.ts';
import { baseline, set, withHeaders } from '../helpers/artefacts.ts';

// Hand-worked examples; the arithmetic is spelled out in docs/scoring.md.
describe('Observatory-compatible headers score', () => {
  it('example 1: the all-passing baseline', () => {
    // CSP default-src 'none' +10, cookies secure+httponly+samesite +5, referrer private +5,
    // XFO via frame-ancestors +5, CORP same-origin +10, SRI external with integrity +5 → 100 − 0 + 40 = 140.
    const results = Object.fromEntries(observatoryResults(baseline()).map((r) => [r.test, r.result]));
    expect(results['content-security-policy']).toBe('csp-implemented-with-no-unsafe-default-src-none');
    expect(results['subresource-integrity']).toBe('sri-implemented-and-external-scripts-loaded-securely');
    expect(headersScore(baseline())).toBe(140);
    expect(headersGrade(140)).toBe('A+');
  });

  it('example 2: bare site, no security headers at all', () => {
    // CSP −25, HSTS −20, XFO −20, XCTO −5; cookies/referrer/CORP/CORS/redirection/SRI 0 → 30, bonuses void → D.
    const a = withHeaders(baseline(), {
      'content-security-policy': undefined,
      'strict-transport-security': undefined,
      'x-frame-options': undefined,
      'x-content-type-options': undefined,
      'referrer-policy': undefined,
      'cross-origin-resource-policy': undefined,
      'set-cookie': undefined,
    });
    if (a.html) a.html.scripts = [{ src: '/app.js' }];
    expect(headersScore(a)).toBe(30);
    expect(headersGrade(30)).toBe('D');
  });

  it('example 3: bonuses are lost below 90', () => {
    // XCTO −5, HSTS < 6 months −10 → uncurved 85 < 90, so the +35 of bonuses do not count → 85, A-.
    const a = withHeaders(baseline(), {
      'x-content-type-options': undefined,
      'strict-transport-security': ['max-age=300'],
    });
    expect(headersScore(a)).toBe(85);
    expect(headersGrade(85)).toBe('A-');
  });

  it('example 4: exactly 90 keeps bonuses', () => {
    // Session cookie without Secure but HSTS on: −10 → 90 ≥ 90, bonuses +35 (cookies bonus lost) → 125.
    const a = withHeaders(baseline(), { 'set-cookie': ['sessionid=1; HttpOnly; SameSite=Lax'] });
    expect(observatoryResults(a).find((r) => r.test === 'cookies')?.result).toBe(
      'cookies-session-without-secure-flag-but-protected-by-hsts',
    );
    expect(headersScore(a)).toBe(125);
  });

  it('example 5: universal CORS and an unsafe CSP floor towards F', () => {
    // CORS universal −50, CSP unsafe-inline −20, XFO via CSP lost (no frame-ancestors) and no XFO −20 → 10, F.
    const a = set(
      (x) => {
        if (x.cors)
          x.cors.headers = {
            'access-control-allow-origin': [x.cors.origin],
            'access-control-allow-credentials': ['true'],
          };
      },
      withHeaders(baseline(), {
        'content-security-policy': ["script-src 'unsafe-inline'"],
        'x-frame-options': undefined,
      }),
    );
    expect(headersScore(a)).toBe(10);
    expect(headersGrade(10)).toBe('F');
  });

  it('rounds down to a multiple of 5 before grading', () => {
    expect(headersGrade(89)).toBe('A-');
    expect(headersGrade(84)).toBe('B+');
    expect(headersGrade(-5)).toBe('F');
  });
});
