import { describe } from 'vitest';
import { cookiePrefixes } from '../../../src/scanner/checks/cookie-prefixes.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const c = (...lines: string[]) => withHeaders(baseline(), { 'set-cookie': lines.length ? lines : undefined });

describe('cookie-prefixes', () => {
  checkTable(cookiePrefixes, 'cookie-prefixes-valid', [
    ['no cookies', c(), 'cookie-prefixes-none-set', 'pass'],
    ['__Host- without Secure', c('__Host-sid=1; Path=/'), 'cookie-prefixes-host-invalid', 'fail'],
    [
      '__Host- with Domain',
      c('__Host-sid=1; Path=/; Secure; Domain=example.test'),
      'cookie-prefixes-host-invalid',
      'fail',
    ],
    ['__Host- with Path=/app', c('__Host-sid=1; Path=/app; Secure'), 'cookie-prefixes-host-invalid', 'fail'],
    ['__host- lower case still checked', c('__host-sid=1; Path=/'), 'cookie-prefixes-host-invalid', 'fail'],
    ['__Secure- without Secure', c('__Secure-id=1'), 'cookie-prefixes-secure-invalid', 'fail'],
    ['__Secure- with Secure', c('__Secure-id=1; Secure'), 'cookie-prefixes-valid', 'pass'],
    ['session cookie without prefix', c('sessionid=1; Secure; HttpOnly'), 'cookie-prefixes-not-used', 'warn'],
    ['non-session cookie without prefix', c('theme=dark; Secure'), 'cookie-prefixes-valid', 'pass'],
  ]);
});
