import { describe } from 'vitest';
import { dane } from '../../../src/scanner/checks/dane.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const tlsa = (records: string[], authenticated = true) =>
  set((a) => {
    a.dns!.tlsa = { ...a.dns!.tlsa, records, authenticated };
  });

describe('dane', () => {
  checkTable(dane, 'dane-valid', [
    ['no TLSA records', tlsa([]), 'dane-not-published', 'pass'],
    ['not validated', tlsa([`3 1 1 ${'ab'.repeat(32)}`], false), 'dane-unsigned', 'fail'],
    ['wrong digest', tlsa([`3 1 1 ${'00'.repeat(32)}`]), 'dane-mismatch', 'fail'],
    ['certificate digest, SHA-512', tlsa([`3 0 2 ${'ef'.repeat(64)}`]), 'dane-valid', 'pass'],
    [
      'one of two matches',
      tlsa([`3 1 1 ${'00'.repeat(32)}`, `1 0 1 ${'cd'.repeat(32)}`]),
      'dane-valid',
      'pass',
    ],
    ['trust anchor only', tlsa([`2 0 1 ${'00'.repeat(32)}`]), 'dane-unverified', 'skipped'],
  ]);
});
