import { describe } from 'vitest';
import { ocspStapling } from '../../../src/scanner/checks/ocsp-stapling.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('ocsp-stapling', () => {
  checkTable(ocspStapling, 'ocsp-stapling-enabled', [
    [
      'nothing stapled',
      set((a) => void (a.tlsDetails!.ocspStapled = false)),
      'ocsp-stapling-missing',
      'warn',
    ],
    ['TLS 1.3 only', set((a) => void delete a.tlsDetails!.ocspStapled), 'ocsp-stapling-untested', 'skipped'],
  ]);
});
