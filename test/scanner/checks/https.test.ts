import { describe } from 'vitest';
import { https } from '../../../src/scanner/checks/https.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('https', () => {
  checkTable(https, 'https-available', [
    [
      'final page over http',
      set((a) => {
        if (a.page.final) a.page.final.url = 'http://example.test/';
      }),
      'https-not-used',
      'fail',
    ],
  ]);
});
