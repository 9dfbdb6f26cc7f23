import { describe, expect, it } from 'vitest';
import { analyze, MAX_EVIDENCE, type Suppression } from '../../src/scanner/analyze.ts';
import { CHECKS } from '../../src/scanner/checks/index.ts';
import type { Check } from '../../src/scanner/types.ts';
import { baseline, withHeaders } from './helpers/artefacts.ts';
import { withBrowser } from './helpers/browser-artefacts.ts';

const meta = { startedAt: '2025-06-01T00:00:00Z', finishedAt: '2025-06-01T00:00:05Z' };

const throwing: Check = {
  ...CHECKS[0]!,
  id: 'boom',
  run: () => {
    throw new Error('kaput');
  },
};

describe('analyze', () => {
  it('grades an all-passing site A+ with no findings', () => {
    const r = analyze(withBrowser(), meta);
    expect(r).toMatchObject({ grade: 'A+', headersGrade: 'A+', findings: [], schemaVersion: 1 });
    expect(r.checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('turns a throwing check into status error and runs the rest', () => {
    const r = analyze(withBrowser(), meta, [throwing, ...CHECKS]);
    expect(r.checks[0]).toMatchObject({
      id: 'boom',
      status: 'error',
      outcome: 'boom-error',
      scoreModifier: 0,
    });
    expect(r.checks[0]?.evidence).toContain('kaput');
    expect(r.checks).toHaveLength(CHECKS.length + 1);
    expect(r.checks.slice(1).every((c) => c.status === 'pass')).toBe(true);
  });

  it('skips a check whose artefact was not collected, and errors one whose gatherer failed', () => {
    const a = baseline();
    delete a.exposedFiles;
    a.tls = { ...a.tls!, error: { code: 'tls_failed', message: 'handshake failure' } };
    const r = analyze(a, meta);
    expect(r.checks.find((c) => c.id === 'exposed-files')).toMatchObject({
      status: 'skipped',
      outcome: 'exposed-files-skipped',
    });
    expect(r.checks.find((c) => c.id === 'certificate')).toMatchObject({ status: 'error' });
    expect(r.checks.find((c) => c.id === 'certificate')?.evidence).toContain('tls_failed');
  });

  it('gives an unreachable site no grade and no score, not F 0', () => {
    const a = baseline();
    a.page = { requestedUrl: a.target, hops: [], error: { code: 'dns_failed', message: 'no such host' } };
    const r = analyze(a, meta);
    expect(r).toMatchObject({
      grade: null,
      score: null,
      headersScore: null,
      headersGrade: null,
      categories: [],
      findings: [],
    });
    expect(r.checks.every((c) => c.status === 'skipped')).toBe(true);
    expect(r.error?.code).toBe('dns_failed');
    expect(r.error?.message).toContain('could not reach');
  });

  it('grades a reachable site (control)', () => {
    const r = analyze(baseline(), meta);
    expect(r.grade).toMatch(/^[A-F][+-]?$/);
    expect(typeof r.score).toBe('number');
    expect(r.categories.length).toBeGreaterThan(0);
  });

  it('attaches severity and remediation deadline from the score table', () => {
    const r = analyze(withHeaders(baseline(), { 'content-security-policy': undefined }), meta);
    const f = r.findings.find((x) => x.checkId === 'csp');
    expect(f).toMatchObject({ outcome: 'csp-missing', severity: 'high', remediationDays: 3 });
    expect(r.checks.find((c) => c.id === 'csp')?.scoreModifier).toBe(-25);
  });

  it('caps hostile evidence', () => {
    const r = analyze(
      withHeaders(baseline(), {
        'x-frame-options': ['x'.repeat(10_000)],
        'content-security-policy': undefined,
      }),
      meta,
    );
    for (const c of r.checks) expect(c.evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE);
    for (const f of r.findings) expect(f.evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE);
  });

  it('gives findings stable ids', () => {
    const a = withHeaders(baseline(), { 'content-security-policy': undefined });
    expect(analyze(a, meta).findings.map((f) => f.id)).toEqual(analyze(a, meta).findings.map((f) => f.id));
  });

  describe('suppressions', () => {
    const a = withHeaders(baseline(), { 'content-security-policy': undefined });
    const s = (change: Partial<Suppression>): Suppression[] => [
      { check: 'csp', target: a.target, reason: 'legacy CMS', expires: '2025-12-31', ...change },
    ];
    const csp = (suppressions: Suppression[]) =>
      analyze(a, { ...meta, suppressions }).findings.find((f) => f.checkId === 'csp');

    it('marks a matching unexpired finding accepted, without hiding it', () => {
      expect(csp(s({}))?.accepted).toEqual({ reason: 'legacy CMS', expires: '2025-12-31' });
    });
    it.each([
      ['expired', { expires: '2025-05-01' }],
      ['other check', { check: 'hsts' }],
      ['other target', { target: 'https://other.test/' }],
      ['unparseable expiry', { expires: 'soon' }],
    ])('ignores a suppression that is %s', (_name, change) => {
      const f = csp(s(change));
      expect(f).toBeDefined();
      expect(f?.accepted).toBeUndefined();
    });
    it('matches an outcome id and a target prefix', () => {
      expect(csp(s({ check: 'csp-missing', target: 'https://example.test/*' }))?.accepted).toBeDefined();
    });
  });
});

describe('replayed artefacts', () => {
  it('a JSON round trip (--save-artifacts / --from-artifacts) is judged exactly as the live artefacts', () => {
    // Live, the page chain's `final` is its last hop (one object); saved and loaded, they are two copies.
    const live = withHeaders(baseline(), {
      'set-cookie': ['sid=1; Path=/', 'theme=dark; Max-Age=999999999'],
    });
    const reloaded = JSON.parse(JSON.stringify(live)) as typeof live;
    expect(analyze(reloaded, meta)).toEqual(analyze(live, meta));
  });
});
