import { describe } from 'vitest';
import { tlsKeyExchange } from '../../../src/scanner/checks/tls-key-exchange.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('tls-key-exchange', () => {
  checkTable(tlsKeyExchange, 'tls-key-exchange-strong', [
    ['512-bit DH', set((a) => void (a.tlsDetails!.dhBits = 512)), 'tls-key-exchange-broken-dh', 'fail'],
    ['1024-bit DH', set((a) => void (a.tlsDetails!.dhBits = 1024)), 'tls-key-exchange-weak-dh', 'fail'],
    ['2048-bit DH', set((a) => void (a.tlsDetails!.dhBits = 2048)), 'tls-key-exchange-strong', 'pass'],
    [
      'only secp521r1',
      set((a) => void (a.tlsDetails!.groups = ['secp521r1'])),
      'tls-key-exchange-no-recommended-group',
      'warn',
    ],
    ['groups unknown', set((a) => void delete a.tlsDetails!.groups), 'tls-key-exchange-strong', 'pass'],
  ]);
});
