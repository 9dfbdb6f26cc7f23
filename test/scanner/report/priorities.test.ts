/**
 * Root causes and "fix these first": every open finding under one cause, the plain-HTTP findings
 * under one, and each step's lift measured by re-scoring the report without the cause's findings.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/scanner/analyze.ts';
import type { Report } from '../../../src/scanner/types.ts';
import { goldenReport } from '../../../scripts/update-golden.ts';
import { baseline, NOW, set, withHeaders } from '../helpers/artefacts.ts';

const meta = { startedAt: NOW.toISOString(), finishedAt: NOW.toISOString() };
const causeOf = (r: Report, findingId: string) =>
  r.priorities!.rootCauses.filter((c) => c.findings.includes(findingId)).map((c) => c.id);

describe('priorities', () => {
  it.each(['legacy-site', 'tracking-site', 'hardened-site'])(
    '%s: every open finding is under exactly one root cause',
    (name) => {
      const r = goldenReport(name);
      for (const f of r.findings) expect(causeOf(r, f.id)).toHaveLength(1);
      const listed = r.priorities!.rootCauses.flatMap((c) => c.findings);
      expect(listed.sort()).toEqual(r.findings.map((f) => f.id).sort());
    },
  );

  it('puts the redirect, HSTS, password-form, Secure-cookie and mixed-content findings under plain HTTP', () => {
    const r = goldenReport('legacy-site');
    const https = r.priorities!.rootCauses.find((c) => c.id === 'https-only')!;
    const outcomes = r.findings.filter((f) => https.findings.includes(f.id)).map((f) => f.outcome);
    expect(outcomes.sort()).toEqual([
      'cookie-flags-session-missing-secure',
      'form-actions-password-over-http',
      'hsts-max-age-too-short',
      'http-redirect-missing',
      'mixed-content-passive',
    ]);
    expect(https).toMatchObject({ severity: 'critical', effort: 'hours' });
    // The session cookie's other problems stay with the cookie attributes.
    const cookies = r.priorities!.rootCauses.find((c) => c.id === 'cookie-attributes')!;
    expect(r.findings.filter((f) => cookies.findings.includes(f.id)).map((f) => f.outcome)).toContain(
      'cookie-flags-session-missing-httponly',
    );
  });

  it('gives a rule that caught one check only back to the check (its own title and fix)', () => {
    const r = analyze(withHeaders(baseline(), { 'x-content-type-options': undefined }), meta);
    const causes = r.priorities!.rootCauses;
    expect(causes.map((c) => c.id)).toEqual(['x-content-type-options']);
    expect(causes[0]!.fix).toBe(r.findings[0]!.remediation);
  });

  it("measures a cause's lift by re-scoring without its findings", () => {
    const good = analyze(baseline(), meta);
    const bad = analyze(withHeaders(baseline(), { 'x-content-type-options': undefined }), meta);
    expect(bad.score).toBeLessThan(good.score!);
    expect(bad.priorities!.fixFirst).toEqual([
      { id: 'x-content-type-options', scoreAfter: good.score, gradeAfter: good.grade },
    ]);
  });

  it('orders "fix these first" by lift, each step counting the ones above, at most three', () => {
    for (const name of ['legacy-site', 'tracking-site']) {
      const r = goldenReport(name);
      const steps = r.priorities!.fixFirst;
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.length).toBeLessThanOrEqual(3);
      let previous = r.score!;
      for (const step of steps) {
        expect(step.scoreAfter).toBeGreaterThan(previous);
        previous = step.scoreAfter;
      }
      // The first step is the cause that lifts most on its own.
      const alone = Math.max(...r.priorities!.rootCauses.map((c) => c.scoreAfter));
      expect(steps[0]!.scoreAfter).toBe(alone);
    }
    expect(goldenReport('legacy-site').priorities!.fixFirst[0]!.id).toBe('https-only');
  });

  it('leaves accepted findings out of the causes', () => {
    const r = analyze(withHeaders(baseline(), { 'x-content-type-options': undefined }), {
      ...meta,
      suppressions: [
        {
          check: 'x-content-type-options',
          target: baseline().target,
          reason: 'sniffing is off upstream',
          expires: '2099-01-01',
        },
      ],
    });
    expect(r.findings).toHaveLength(1);
    expect(r.priorities).toEqual({ rootCauses: [], fixFirst: [] });
  });

  it('has no priorities when the site could not be scanned', () => {
    const r = analyze(
      set((a) => {
        a.page = { requestedUrl: a.target, hops: [], error: { code: 'dns_failed', message: 'no such host' } };
      }),
      meta,
    );
    expect(r.priorities).toBeUndefined();
  });
});
