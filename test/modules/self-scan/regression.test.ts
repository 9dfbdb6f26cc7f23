import { describe, expect, it } from 'vitest';
import type { SeriousFinding } from '../../../src/db/types.ts';
import { regressionsOf, type SelfScanOutcome } from '../../../src/modules/self-scan/regression.ts';

const csp: SeriousFinding = { key: 'csp:csp-missing', severity: 'high', title: 'No Content-Security-Policy' };
const cert: SeriousFinding = {
  key: 'certificate:certificate-expired',
  severity: 'critical',
  title: 'Expired',
};
const ok = (grade: string, serious: SeriousFinding[] = [csp]): SelfScanOutcome => ({
  status: 'succeeded',
  grade,
  serious,
  error_message: null,
});
const failed: SelfScanOutcome = {
  status: 'failed',
  grade: null,
  serious: [],
  error_message: 'connection refused',
};

describe('self-scan regressions', () => {
  it.each([
    ['the first scan (the baseline)', ok('F'), undefined, undefined, []],
    ['nothing changed', ok('B'), ok('B'), ok('B'), []],
    ['a better grade and a finding fixed', ok('A', []), ok('B'), ok('B'), []],
    ['a lower grade', ok('C'), ok('B'), ok('B'), ['grade.dropped:B→C']],
    ['A+ to A', ok('A'), ok('A+'), ok('A+'), ['grade.dropped:A+→A']],
    ['a new critical finding', ok('B', [csp, cert]), ok('B'), ok('B'), ['finding.new:none→critical']],
    ['the first failure', failed, ok('B'), ok('B'), ['scan.failed:B→failed']],
    ['a failure of the first scan', failed, undefined, undefined, ['scan.failed:null→failed']],
    ['a lasting failure', failed, failed, ok('B'), []],
    // A failed run in between hides nothing: the baseline is the last finished scan.
    ['a drop after a failure', ok('D'), failed, ok('B'), ['grade.dropped:B→D']],
  ] as const)('%s', (_name, current, previous, lastSucceeded, expected) => {
    const found = regressionsOf(current, previous, lastSucceeded);
    expect(found.map((r) => `${r.kind}:${r.from}→${r.to}`)).toEqual(expected);
  });

  it('names the new finding and the failure reason', () => {
    expect(regressionsOf(ok('B', [csp, cert]), ok('B'), ok('B'))[0]?.detail).toBe('Expired');
    expect(regressionsOf(failed, ok('B'), ok('B'))[0]?.detail).toBe('connection refused');
  });
});
