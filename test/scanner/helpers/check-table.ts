/** Table-driven check tests: each row is one change to the all-passing baseline. */
import { expect, it } from 'vitest';
import type { Artefacts, Check, CheckStatus } from '../../../src/scanner/types.ts';
import { baseline, NOW } from './artefacts.ts';

export type Row = [label: string, artefacts: Artefacts, outcome: string, status: CheckStatus];

/** `base` is the all-passing site the rows change (browser checks pass `withBrowser`). */
export function checkTable(
  check: Check,
  passOutcome: string,
  rows: Row[],
  base: () => Artefacts = baseline,
): void {
  it('passes the all-passing baseline', () => {
    const result = check.run(base(), { now: NOW });
    expect(result).toMatchObject({ outcome: passOutcome, status: 'pass', findings: [] });
  });
  const table = rows.map(([label, artefacts, outcome, status]) => ({ label, artefacts, outcome, status }));
  it.each(table)('$label → $outcome ($status)', ({ artefacts, outcome, status }) => {
    const result = check.run(artefacts, { now: NOW });
    expect(result.outcome).toBe(outcome);
    expect(result.status).toBe(status);
    expect(Object.keys(check.outcomes)).toContain(result.outcome);
    if (status === 'fail' || status === 'warn') {
      expect(result.findings.length).toBeGreaterThan(0);
      expect(result.findings.map((f) => f.outcome)).toContain(outcome);
    } else {
      expect(result.findings).toEqual([]);
    }
    for (const f of result.findings) expect(f.outcome.startsWith(`${check.id}-`)).toBe(true);
  });
}
