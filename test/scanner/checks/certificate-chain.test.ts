import { describe } from 'vitest';
import { certificateChain } from '../../../src/scanner/checks/certificate-chain.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('certificate-chain', () => {
  checkTable(certificateChain, 'certificate-chain-complete', [
    [
      'intermediate missing',
      set((a) => void (a.tlsDetails!.chainComplete = false)),
      'certificate-chain-incomplete',
      'fail',
    ],
    [
      'out of order',
      set((a) => void (a.tlsDetails!.chainOrdered = false)),
      'certificate-chain-misordered',
      'warn',
    ],
    [
      'TLS 1.3 only: not visible',
      set((a) => void delete a.tlsDetails!.chain),
      'certificate-chain-untested',
      'skipped',
    ],
  ]);
});
