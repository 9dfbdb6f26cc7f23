import { describe } from 'vitest';
import { tlsRpt } from '../../../src/scanner/checks/tls-rpt.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const record = (...records: string[]) =>
  set((a) => {
    a.dns!.tlsRpt.records = records;
  });

describe('tls-rpt', () => {
  checkTable(tlsRpt, 'tls-rpt-valid', [
    ['no MX: not applicable', set((a) => void (a.dns!.mx.records = [])), 'tls-rpt-not-applicable', 'pass'],
    ['no record', record(), 'tls-rpt-missing', 'warn'],
    ['no rua', record('v=TLSRPTv1'), 'tls-rpt-invalid', 'fail'],
    ['rua not a mailto/https URI', record('v=TLSRPTv1; rua=ftp://x.example'), 'tls-rpt-invalid', 'fail'],
    [
      'two records',
      record('v=TLSRPTv1; rua=mailto:a@b.test', 'v=TLSRPTv1; rua=mailto:c@d.test'),
      'tls-rpt-invalid',
      'fail',
    ],
    ['https rua', record('v=TLSRPTv1; rua=https://reports.example.test/tlsrpt'), 'tls-rpt-valid', 'pass'],
  ]);
});
