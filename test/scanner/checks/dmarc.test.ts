import { describe } from 'vitest';
import { dmarc } from '../../../src/scanner/checks/dmarc.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const record = (...records: string[]) =>
  set((a) => {
    a.dns!.dmarc.records = records;
  });

describe('dmarc', () => {
  checkTable(dmarc, 'dmarc-enforced', [
    ['no record', record(), 'dmarc-missing', 'fail'],
    ['unrelated TXT only', record('some-token=1'), 'dmarc-missing', 'fail'],
    ['two records', record('v=DMARC1; p=reject', 'v=DMARC1; p=none'), 'dmarc-invalid', 'fail'],
    ['no p tag', record('v=DMARC1; rua=mailto:a@example.test'), 'dmarc-invalid', 'fail'],
    ['unknown policy', record('v=DMARC1; p=block'), 'dmarc-invalid', 'fail'],
    ['p=none', record('v=DMARC1; p=none; rua=mailto:a@example.test'), 'dmarc-none', 'fail'],
    ['pct=50', record('v=DMARC1; p=quarantine; pct=50; rua=mailto:a@example.test'), 'dmarc-partial', 'warn'],
    ['no rua', record('v=DMARC1; p=reject'), 'dmarc-no-reports', 'warn'],
    [
      'quarantine is enforced',
      record('v=DMARC1; p=quarantine; rua=mailto:a@example.test'),
      'dmarc-enforced',
      'pass',
    ],
  ]);
});
