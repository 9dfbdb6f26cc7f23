import { describe } from 'vitest';
import { dnssec } from '../../../src/scanner/checks/dnssec.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('dnssec', () => {
  checkTable(dnssec, 'dnssec-validated', [
    [
      'bogus: SERVFAIL, answered with CD',
      set((a) => {
        a.dns!.address = {
          name: 'example.test',
          type: 'A',
          rcode: 'SERVFAIL',
          authenticated: false,
          records: [],
        };
        a.dns!.addressUnchecked = {
          name: 'example.test',
          type: 'A',
          rcode: 'NOERROR',
          records: ['192.0.2.1'],
        };
      }),
      'dnssec-bogus',
      'fail',
    ],
    [
      'unsigned zone',
      set((a) => {
        a.dns!.address.authenticated = false;
        a.dns!.dnskey.records = [];
      }),
      'dnssec-unsigned',
      'warn',
    ],
    [
      'signed, resolver does not validate',
      set((a) => {
        a.dns!.address.authenticated = false;
      }),
      'dnssec-unknown',
      'skipped',
    ],
  ]);
});
