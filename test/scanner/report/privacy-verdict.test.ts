import { describe, expect, it } from 'vitest';
import { goldenReport } from '../../../scripts/update-golden.ts';
import { privacyVerdict } from '../../../src/scanner/report/privacy-verdict.ts';
import type { PrivacyReport } from '../../../src/scanner/types.ts';

function tracking(): PrivacyReport {
  const p = goldenReport('tracking-site').privacy;
  if (!p) throw new Error('the tracking-site golden has no privacy summary');
  return p;
}

describe('privacyVerdict', () => {
  it('says how many companies track before consent and after the rejection, then the worst of the rest', () => {
    expect(privacyVerdict(tracking())).toEqual([
      '4 trackers load before consent; 1 keeps loading after you reject.',
      'Global Privacy Control is ignored: 2 trackers are still contacted and 1 tracking cookie is set with it on.',
      '3 tracking cookies are set before consent.',
      '1 script fingerprints the browser.',
      'What a visitor types leaves the page before it is submitted (1 case).',
    ]);
  });

  it.each([
    ['no-banner', 'no consent banner was found'],
    ['failed', 'the consent banner could not be rejected'],
    ['honoured', '4 trackers load before consent; none after you reject.'],
  ] as const)('consent result %s reads "%s"', (result, expected) => {
    const p = tracking();
    p.consent = { ...p.consent, result, stillLoaded: result === 'honoured' ? [] : p.consent.stillLoaded };
    expect(privacyVerdict(p)[0]).toContain(expected);
  });

  it('says nothing about the rejection when it was not tested, and nothing of what did not happen', () => {
    const p = tracking();
    p.consent = { ...p.consent, result: 'not-run' };
    p.thirdParties = [];
    p.cookies = [];
    p.fingerprinting = [];
    p.keyLogging = [];
    delete p.gpc;
    expect(privacyVerdict(p)).toEqual(['No tracker loads before consent.']);
  });

  it('gives no verdict when the browser stage could not run', () => {
    expect(privacyVerdict({ ...tracking(), error: { code: 'browser_unavailable', message: 'x' } })).toEqual(
      [],
    );
  });
});
