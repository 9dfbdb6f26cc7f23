import { describe } from 'vitest';
import { serverDisclosure } from '../../../src/scanner/checks/server-disclosure.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('server-disclosure', () => {
  checkTable(serverDisclosure, 'server-disclosure-none', [
    [
      'nginx version',
      withHeaders(baseline(), { server: ['nginx/1.25.3'] }),
      'server-disclosure-version',
      'warn',
    ],
    [
      'PHP version',
      withHeaders(baseline(), { 'x-powered-by': ['PHP/8.2.1'] }),
      'server-disclosure-version',
      'warn',
    ],
    [
      'product only',
      withHeaders(baseline(), { server: ['Apache'], 'x-powered-by': ['Express'] }),
      'server-disclosure-none',
      'pass',
    ],
  ]);
});
