import { describe } from 'vitest';
import { mtaSts } from '../../../src/scanner/checks/mta-sts.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const policy = (body: string, extra: { status?: number; contentType?: string } = {}) =>
  set((a) => {
    a.dns!.mtaStsPolicy = { ...a.dns!.mtaStsPolicy!, body, ...extra };
  });
const GOOD = 'version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 604800\n';

describe('mta-sts', () => {
  checkTable(mtaSts, 'mta-sts-enforced', [
    ['no MX: not applicable', set((a) => void (a.dns!.mx.records = [])), 'mta-sts-not-applicable', 'pass'],
    [
      'null MX: not applicable',
      set((a) => void (a.dns!.mx.records = ['0 .'])),
      'mta-sts-not-applicable',
      'pass',
    ],
    ['no record', set((a) => void (a.dns!.mtaSts.records = [])), 'mta-sts-missing', 'warn'],
    ['record without id', set((a) => void (a.dns!.mtaSts.records = ['v=STSv1'])), 'mta-sts-invalid', 'fail'],
    [
      'policy unreachable',
      set((a) => {
        a.dns!.mtaStsPolicy = {
          url: 'https://mta-sts.example.test/.well-known/mta-sts.txt',
          error: { code: 'connect_failed', message: 'refused' },
        };
      }),
      'mta-sts-invalid',
      'fail',
    ],
    ['policy 404', policy('not found', { status: 404 }), 'mta-sts-invalid', 'fail'],
    ['policy as text/html', policy(GOOD, { contentType: 'text/html' }), 'mta-sts-invalid', 'fail'],
    ['max_age too large', policy(GOOD.replace('604800', '99999999')), 'mta-sts-invalid', 'fail'],
    ['no mx line', policy('version: STSv1\nmode: enforce\nmax_age: 604800\n'), 'mta-sts-invalid', 'fail'],
    ['testing mode', policy(GOOD.replace('enforce', 'testing')), 'mta-sts-testing', 'warn'],
    ['mode none', policy('version: STSv1\nmode: none\nmax_age: 86400\n'), 'mta-sts-mode-none', 'warn'],
    ['LF line endings are accepted', policy(GOOD), 'mta-sts-enforced', 'pass'],
  ]);
});
