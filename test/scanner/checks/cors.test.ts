import { describe } from 'vitest';
import { cors } from '../../../src/scanner/checks/cors.ts';
import type { Headers } from '../../../src/scanner/types.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const probe = (headers: Headers) =>
  set((a) => {
    if (a.cors) a.cors.headers = headers;
  });
const ORIGIN = 'https://attacker.invalid';

describe('cors', () => {
  checkTable(cors, 'cors-not-enabled', [
    ['wildcard', probe({ 'access-control-allow-origin': ['*'] }), 'cors-wildcard', 'warn'],
    [
      'reflected, no credentials',
      probe({ 'access-control-allow-origin': [ORIGIN] }),
      'cors-reflected-origin',
      'warn',
    ],
    [
      'reflected with credentials',
      probe({ 'access-control-allow-origin': [ORIGIN], 'access-control-allow-credentials': ['true'] }),
      'cors-reflected-origin-with-credentials',
      'fail',
    ],
    [
      'null origin with credentials',
      probe({ 'access-control-allow-origin': ['null'], 'access-control-allow-credentials': ['true'] }),
      'cors-null-origin-with-credentials',
      'fail',
    ],
    [
      'fixed partner origin',
      probe({ 'access-control-allow-origin': ['https://partner.example'] }),
      'cors-restricted',
      'pass',
    ],
  ]);
});
