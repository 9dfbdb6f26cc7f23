import { describe, expect, it } from 'vitest';
import type { OsvRecord } from '../../../src/modules/advisories/osv.ts';
import { advisorySeverity, cvssSeverity } from '../../../src/modules/advisories/severity.ts';
import { osvRecord } from '../../helpers/fake-osv.ts';

const bare = (extra: Partial<OsvRecord>): OsvRecord => ({
  id: 'GHSA-test',
  affected: [{ package: { ecosystem: 'npm', name: 'pkg' } }],
  ...extra,
});

describe('advisorySeverity', () => {
  it('rates real GitHub advisories from their CVSS v3.1 vectors', () => {
    expect(advisorySeverity(osvRecord('GHSA-xvch-5gv4-984h'), 'minimist')).toEqual({
      severity: 'critical',
      source: 'cvss_v3',
      score: 9.8,
    });
    expect(advisorySeverity(osvRecord('GHSA-35jh-r3h4-6jhm'), 'lodash')).toEqual({
      severity: 'high',
      source: 'cvss_v3',
      score: 7.2,
    });
  });

  it.each([
    // [record fields, severity, source]
    [
      {
        severity: [
          { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
        ],
      },
      'critical',
      'cvss_v4',
    ],
    [
      { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N' }] },
      'low',
      'cvss_v3',
    ],
    [
      { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }] },
      'medium',
      'cvss_v3',
    ],
    // CVSS v2 has no critical band: 10.0 is high.
    [{ severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' }] }, 'high', 'cvss_v2'],
    [{ database_specific: { severity: 'MODERATE' } }, 'medium', 'database'],
    [{ database_specific: { severity: 'low' } }, 'low', 'database'],
    // A vector that does not parse falls back to the database's rating.
    [
      {
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:X' }],
        database_specific: { severity: 'CRITICAL' },
      },
      'critical',
      'database',
    ],
    // Rated neither way: looked at within days.
    [{}, 'high', 'unrated'],
    [{ database_specific: { severity: 'UNKNOWN' } }, 'high', 'unrated'],
  ] as [Partial<OsvRecord>, string, string][])('%j is %s (%s)', (extra, severity, source) => {
    expect(advisorySeverity(bare(extra), 'pkg')).toMatchObject({ severity, source });
  });

  it("prefers the package's own vector to the record's", () => {
    const record = bare({
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [
        {
          package: { ecosystem: 'npm', name: 'pkg' },
          severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }],
        },
      ],
    });
    expect(advisorySeverity(record, 'pkg').severity).toBe('low');
    expect(advisorySeverity(record, 'other').severity).toBe('critical');
  });
});

describe('cvssSeverity', () => {
  it('follows the FIRST bands', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((s) => cvssSeverity(s, 3))).toEqual([
      'low',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
