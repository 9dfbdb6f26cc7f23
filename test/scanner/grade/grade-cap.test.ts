/**
 * A certificate browsers refuse caps the grade at F (docs/scoring.md "Grade caps"), whatever the
 * rest of the site gets right; other certificate findings only cost their modifier.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/scanner/analyze.ts';
import { applyCap, maxScoreFor } from '../../../src/scanner/grade/grade.ts';
import type { Artefacts, CertificateFacts } from '../../../src/scanner/types.ts';
import { baseline, NOW, set } from '../helpers/artefacts.ts';

const meta = { startedAt: NOW.toISOString(), finishedAt: NOW.toISOString() };
const withCert = (change: Partial<CertificateFacts>): Artefacts =>
  set((a) => Object.assign(a.tls!.certificate!, change));

describe('grade caps', () => {
  it('leaves a good site uncapped (control)', () => {
    const r = analyze(baseline(), meta);
    expect(r.gradeCap).toBeUndefined();
    expect(r.grade).toBe('A+');
    expect(r.categories.find((c) => c.category === 'transport')?.grade).toBe('A+');
  });

  it.each<[string, Partial<CertificateFacts>, string]>([
    [
      'untrusted chain',
      { chainTrusted: false, chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
      'certificate-untrusted',
    ],
    ['self-signed', { chainTrusted: false, selfSigned: true }, 'certificate-untrusted'],
    ['another host name', { hostnameMatches: false }, 'certificate-hostname-mismatch'],
    ['expired', { validTo: '2025-05-01T00:00:00.000Z' }, 'certificate-expired'],
    ['not yet valid', { validFrom: '2025-07-01T00:00:00.000Z' }, 'certificate-not-yet-valid'],
  ])('a certificate with %s caps the grade at F', (_label, change, outcome) => {
    const r = analyze(withCert(change), meta);
    expect(r.grade).toBe('F');
    expect(r.score).toBeLessThanOrEqual(24);
    expect(r.gradeCap).toEqual({ grade: 'F', outcomes: [outcome] });
    expect(r.categories.find((c) => c.category === 'transport')?.grade).toBe('F');
    // Only the category of the capping check is capped.
    expect(r.categories.find((c) => c.category === 'headers')?.grade).toBe('A+');
    // The Observatory-compatible grade follows Observatory's own method, which has no cap.
    expect(r.headersGrade).not.toBeNull();
  });

  it('does not cap for a weak key, which only costs its modifier (control)', () => {
    const r = analyze(withCert({ keyType: 'rsa', keyBits: 1024 }), meta);
    expect(r.gradeCap).toBeUndefined();
    expect(r.findings.some((f) => f.outcome === 'certificate-weak-key')).toBe(true);
    expect(r.grade).not.toBe('F');
  });

  it('keeps a score already below the cap', () => {
    expect(applyCap(10, 'F')).toEqual({ score: 10, grade: 'F' });
    expect(applyCap(130, 'F')).toEqual({ score: 24, grade: 'F' });
    expect(maxScoreFor('A+')).toBe(Infinity);
    expect(maxScoreFor('B')).toBe(79);
  });
});
