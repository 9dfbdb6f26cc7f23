import { describe } from 'vitest';
import { cookieFlags } from '../../../src/scanner/checks/cookie-flags.ts';
import { baseline, set, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const c = (...lines: string[]) => withHeaders(baseline(), { 'set-cookie': lines.length ? lines : undefined });

describe('cookie-flags', () => {
  checkTable(cookieFlags, 'cookie-flags-secure', [
    ['no cookies', c(), 'cookie-flags-none-set', 'pass'],
    [
      'session without Secure',
      c('sessionid=1; HttpOnly; SameSite=Lax'),
      'cookie-flags-session-missing-secure',
      'fail',
    ],
    [
      'session without HttpOnly',
      c('sessionid=1; Secure; SameSite=Lax'),
      'cookie-flags-session-missing-httponly',
      'fail',
    ],
    ['tracking cookie without Secure', c('theme=dark; SameSite=Lax'), 'cookie-flags-missing-secure', 'fail'],
    ['SameSite=None without Secure', c('theme=dark; SameSite=None'), 'cookie-flags-missing-secure', 'fail'],
    [
      'invalid SameSite',
      c('theme=dark; Secure; SameSite=Sometimes'),
      'cookie-flags-samesite-invalid',
      'fail',
    ],
    ['no SameSite', c('theme=dark; Secure'), 'cookie-flags-samesite-missing', 'warn'],
    [
      'attribute names are case-insensitive',
      c('theme=dark; SECURE; samesite=strict'),
      'cookie-flags-secure',
      'pass',
    ],
    [
      'cookie set on a redirect hop counts',
      set((a) => {
        a.page.hops.unshift({
          url: 'https://example.test/old',
          status: 301,
          headers: { 'set-cookie': ['auth=1'] },
          timingMs: 1,
        });
      }),
      'cookie-flags-session-missing-secure',
      'fail',
    ],
  ]);
});
