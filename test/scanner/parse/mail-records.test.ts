import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mtaStsRecordErrors, parseMtaStsPolicy } from '../../../src/scanner/parse/mta-sts.ts';
import { isSpf, parseSpf } from '../../../src/scanner/parse/spf.ts';
import { parseTagList, recordsWithVersion } from '../../../src/scanner/parse/tag-value.ts';

describe('parseTagList', () => {
  it.each([
    ['v=DMARC1; p=reject; rua=mailto:a@b.test', { v: 'DMARC1', p: 'reject', rua: 'mailto:a@b.test' }, 0],
    ['  V = DMARC1 ;P=none;', { v: 'DMARC1', p: 'none' }, 0],
    ['v=DMARC1; p=reject; p=none', { v: 'DMARC1', p: 'reject' }, 1],
    ['v=DMARC1; junk', { v: 'DMARC1' }, 1],
    ['', {}, 0],
  ] as const)('%j', (input, tags, errors) => {
    const parsed = parseTagList(input);
    expect(Object.fromEntries(parsed.tags)).toEqual(tags);
    expect(parsed.errors).toHaveLength(errors);
  });

  it('finds records by version tag only at the start', () => {
    expect(recordsWithVersion(['v=DMARC1; p=none', 'x v=DMARC1', 'v=DMARC10'], 'DMARC1')).toEqual([
      'v=DMARC1; p=none',
    ]);
  });

  it('never throws and reads back generated tags', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void parseTagList(s)));
    const tag = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9:@./-]{0,20}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(tag, value), { selector: ([t]) => t, maxLength: 8 }), (pairs) => {
        const parsed = parseTagList(pairs.map(([t, v]) => `${t}=${v}`).join('; '));
        expect(Object.fromEntries(parsed.tags)).toEqual(Object.fromEntries(pairs));
      }),
    );
  });
});

describe('parseSpf', () => {
  it.each([
    ['v=spf1 -all', '-', 0, 0],
    ['v=spf1 include:_spf.example.net ip4:192.0.2.0/24 mx ~all', '~', 2, 0],
    ['v=spf1 a mx', undefined, 2, 0],
    ['v=spf1 redirect=_spf.example.net', undefined, 1, 0],
    ['v=spf1 bogus -all', '-', 0, 1],
    ['v=spf1 -all +all', '-', 0, 0],
  ] as const)('%j', (record, all, lookups, errors) => {
    const parsed = parseSpf(record);
    expect([parsed.all, parsed.lookups, parsed.errors.length]).toEqual([all, lookups, errors]);
  });

  it('recognises SPF records and never throws', () => {
    expect(isSpf('v=spf1')).toBe(true);
    expect(isSpf('v=spf10 -all')).toBe(false);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void parseSpf(`v=spf1 ${s}`)));
  });
});

describe('MTA-STS', () => {
  it('checks the TXT record', () => {
    expect(mtaStsRecordErrors('v=STSv1; id=20250101T000000')).toEqual([]);
    expect(mtaStsRecordErrors('v=STSv1; id=has-dash')).toHaveLength(1);
    expect(mtaStsRecordErrors('v=STSv1')).toHaveLength(1);
  });

  it('parses the policy file', () => {
    const p = parseMtaStsPolicy(
      'version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmx: *.b.example\r\nmax_age: 86400\r\n',
    );
    expect(p).toEqual({
      version: 'STSv1',
      mode: 'enforce',
      mx: ['a.example', '*.b.example'],
      maxAge: 86400,
      errors: [],
    });
    expect(parseMtaStsPolicy('version: STSv1\nmode: enforce\nmx: a\nmax_age: -1').errors).toHaveLength(1);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => void parseMtaStsPolicy(s)));
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void mtaStsRecordErrors(s)));
  });
});
