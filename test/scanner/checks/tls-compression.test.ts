import { describe } from 'vitest';
import { tlsCompression } from '../../../src/scanner/checks/tls-compression.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('tls-compression', () => {
  checkTable(tlsCompression, 'tls-compression-disabled', [
    [
      'DEFLATE chosen',
      set((a) => void (a.tlsDetails!.compression = true)),
      'tls-compression-enabled',
      'fail',
    ],
  ]);
});
