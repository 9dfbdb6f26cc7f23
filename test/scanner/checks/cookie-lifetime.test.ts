import { describe } from 'vitest';
import { cookieLifetime } from '../../../src/scanner/checks/cookie-lifetime.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const c = (...lines: string[]) => withHeaders(baseline(), { 'set-cookie': lines.length ? lines : undefined });
const DAY = 86_400;

describe('cookie-lifetime', () => {
  checkTable(cookieLifetime, 'cookie-lifetime-reasonable', [
    ['no cookies', c(), 'cookie-lifetime-none-set', 'pass'],
    ['theme for 401 days', c(`theme=dark; Max-Age=${401 * DAY}`), 'cookie-lifetime-too-long', 'warn'],
    ['theme for 400 days', c(`theme=dark; Max-Age=${400 * DAY}`), 'cookie-lifetime-reasonable', 'pass'],
    ['session for 31 days', c(`sid=1; Max-Age=${31 * DAY}`), 'cookie-lifetime-session-too-long', 'warn'],
    ['session for 30 days', c(`sid=1; Max-Age=${30 * DAY}`), 'cookie-lifetime-reasonable', 'pass'],
    // NOW is 2025-06-01; Expires is measured from the scan's clock.
    [
      'Expires in 2030',
      c('theme=dark; Expires=Tue, 01 Jan 2030 00:00:00 GMT'),
      'cookie-lifetime-too-long',
      'warn',
    ],
    [
      'Max-Age beats Expires',
      c('theme=dark; Max-Age=60; Expires=Tue, 01 Jan 2030 00:00:00 GMT'),
      'cookie-lifetime-reasonable',
      'pass',
    ],
  ]);
});
