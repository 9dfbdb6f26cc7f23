import { describe } from 'vitest';
import { tlsRenegotiation } from '../../../src/scanner/checks/tls-renegotiation.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('tls-renegotiation', () => {
  checkTable(tlsRenegotiation, 'tls-renegotiation-secure', [
    [
      'no renegotiation_info',
      set((a) => void (a.tlsDetails!.secureRenegotiation = false)),
      'tls-renegotiation-insecure',
      'fail',
    ],
    [
      'TLS 1.3 only',
      set((a) => void delete a.tlsDetails!.secureRenegotiation),
      'tls-renegotiation-not-applicable',
      'pass',
    ],
  ]);
});
