import { describe } from 'vitest';
import { spf } from '../../../src/scanner/checks/spf.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const txt = (...records: string[]) =>
  set((a) => {
    a.dns!.txt.records = records;
  });

describe('spf', () => {
  checkTable(spf, 'spf-strict', [
    ['no SPF record', txt('google-site-verification=x'), 'spf-missing', 'fail'],
    ['two SPF records', txt('v=spf1 -all', 'v=spf1 mx -all'), 'spf-multiple', 'fail'],
    ['+all', txt('v=spf1 +all'), 'spf-pass-all', 'fail'],
    ['bare all means +all', txt('v=spf1 mx all'), 'spf-pass-all', 'fail'],
    ['unknown mechanism', txt('v=spf1 foo:bar -all'), 'spf-invalid', 'fail'],
    [
      'more than 10 lookups',
      txt(`v=spf1 ${Array.from({ length: 11 }, (_, i) => `include:s${i}.example`).join(' ')} -all`),
      'spf-invalid',
      'fail',
    ],
    ['?all', txt('v=spf1 mx ?all'), 'spf-neutral', 'warn'],
    ['no all', txt('v=spf1 mx'), 'spf-neutral', 'warn'],
    ['~all', txt('v=spf1 mx ~all'), 'spf-softfail', 'pass'],
    ['redirect', txt('v=spf1 redirect=_spf.example.net'), 'spf-softfail', 'pass'],
    ['upper-case version tag', txt('V=SPF1 -all'), 'spf-strict', 'pass'],
  ]);
});
