import { describe, expect, it } from 'vitest';
import { csp } from '../../../src/scanner/checks/csp.ts';
import { baseline, NOW, set, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const FA = "; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";
const policy = (v: string | undefined) =>
  withHeaders(baseline(), { 'content-security-policy': v === undefined ? undefined : [v] });

describe('csp', () => {
  checkTable(csp, 'csp-restrictive', [
    ['missing', policy(undefined), 'csp-missing', 'fail'],
    [
      'report-only',
      withHeaders(baseline(), {
        'content-security-policy': undefined,
        'content-security-policy-report-only': ["default-src 'self'"],
      }),
      'csp-report-only',
      'fail',
    ],
    ['garbage', policy('!!!'), 'csp-invalid', 'fail'],
    ['unsafe-inline script', policy(`script-src 'self' 'unsafe-inline'${FA}`), 'csp-unsafe-inline', 'fail'],
    [
      'unsafe-inline beside a nonce is ignored',
      policy(`script-src 'nonce-abcdefgh1234' 'unsafe-inline'${FA}`),
      'csp-restrictive',
      'pass',
    ],
    ['unsafe-eval', policy(`script-src 'self' 'unsafe-eval'${FA}`), 'csp-unsafe-eval', 'fail'],
    ['wildcard script source', policy(`script-src *${FA}`), 'csp-wildcard-source', 'fail'],
    ['bare https: scheme', policy(`script-src https:${FA}`), 'csp-wildcard-source', 'fail'],
    ['no script-src or default-src', policy(`img-src 'self'${FA}`), 'csp-wildcard-source', 'fail'],
    [
      'http: host source',
      policy(`script-src 'self' http://cdn.example.net${FA}`),
      'csp-insecure-source',
      'fail',
    ],
    [
      'no object-src',
      policy("script-src 'self'; base-uri 'none'; frame-ancestors 'none'"),
      'csp-missing-directive',
      'warn',
    ],
    [
      'no base-uri',
      policy("script-src 'self'; object-src 'none'; frame-ancestors 'none'"),
      'csp-missing-directive',
      'warn',
    ],
    [
      'no frame-ancestors',
      policy("script-src 'self'; object-src 'none'; base-uri 'none'"),
      'csp-missing-directive',
      'warn',
    ],
    [
      'inline style only',
      policy(`script-src 'self'; style-src 'self' 'unsafe-inline'${FA}`),
      'csp-unsafe-inline-style',
      'warn',
    ],
    [
      'an allow-listed host that serves JSONP (www.google.com)',
      policy(`script-src 'self' https://www.google.com${FA}`),
      'csp-allowlist-bypass',
      'fail',
    ],
    [
      'an allow-listed host that serves AngularJS (ajax.googleapis.com)',
      policy(`script-src 'self' ajax.googleapis.com${FA}`),
      'csp-allowlist-bypass',
      'fail',
    ],
    [
      'an allow-listed host with no known bypass',
      policy(`script-src 'self' https://cdn.example.net${FA}`),
      'csp-restrictive',
      'pass',
    ],
    [
      'a JSONP host ignored next to a nonce and strict-dynamic',
      policy(`script-src 'nonce-abcdefgh1234' 'strict-dynamic' https://www.google.com${FA}`),
      'csp-restrictive',
      'pass',
    ],
    ['a short nonce', policy(`script-src 'nonce-abc'${FA}`), 'csp-weak-nonce', 'fail'],
    [
      "'strict-dynamic' without a nonce or hash",
      policy(`script-src 'strict-dynamic' 'self'${FA}`),
      'csp-strict-dynamic-without-nonce',
      'warn',
    ],
    [
      'a misspelt directive',
      policy(`script-src 'self'; upgrade-insecure-request${FA}`),
      'csp-syntax-error',
      'warn',
    ],
    [
      'meta policy with unsafe-inline',
      set((a) => {
        if (a.html) a.html.metaCsp = ["script-src 'unsafe-inline'; object-src 'none'; base-uri 'none'"];
      }),
      'csp-unsafe-inline',
      'fail',
    ],
  ]);

  it('names the exact directive and source value in every finding', () => {
    const result = csp.run(
      policy(`default-src 'self'; script-src 'self' 'unsafe-inline' http://x.test${FA}`),
      { now: NOW },
    );
    const inline = result.findings.find((f) => f.outcome === 'csp-unsafe-inline');
    expect(inline?.evidence).toContain('directive script-src');
    expect(inline?.evidence).toContain(`"'unsafe-inline'"`);
    const insecure = result.findings.find((f) => f.outcome === 'csp-insecure-source');
    expect(insecure?.evidence).toContain('"http://x.test"');
  });

  it('names the allow-listed host and the nonce that fail', () => {
    const bypass = csp.run(policy(`script-src 'self' https://www.google.com${FA}`), { now: NOW });
    expect(bypass.findings.find((f) => f.outcome === 'csp-allowlist-bypass')?.evidence).toBe(
      'header policy 1: directive script-src source "https://www.google.com"',
    );
    const nonce = csp.run(policy(`script-src 'nonce-abc'${FA}`), { now: NOW });
    expect(nonce.findings.find((f) => f.outcome === 'csp-weak-nonce')?.evidence).toBe(
      `header policy 1: directive script-src source "'nonce-abc'"`,
    );
  });

  it('ignores frame-ancestors in a meta policy (CSP3 §6.4.2)', () => {
    const a = withHeaders(baseline(), { 'content-security-policy': undefined });
    if (a.html)
      a.html.metaCsp = [
        "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      ];
    const result = csp.run(a, { now: NOW });
    expect(result.outcome).toBe('csp-missing-directive');
    expect(result.findings[0]?.evidence).toContain('frame-ancestors');
  });
});

describe('csp with values the evaluator cannot parse', () => {
  it('still judges the policy instead of erroring', () => {
    const result = csp.run(policy(`script-src 'unsafe-inline' "><img src=x onerror=alert(1)>${FA}`), {
      now: NOW,
    });
    expect(result.outcome).toBe('csp-unsafe-inline');
    expect(result.status).toBe('fail');
  });
});
