import { describe, expect, it } from 'vitest';
import { thirdPartyCookies } from '../../../src/scanner/checks/third-party-cookies.ts';
import { NOW } from '../helpers/artefacts.ts';
import {
  addAnalytics,
  browser,
  cookie,
  DOUBLECLICK,
  inDays,
  inVisit,
  withBrowser,
} from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const ide = (days: number) =>
  cookie('IDE', DOUBLECLICK, {
    session: false,
    expires: inDays(days),
    setBy: { via: 'http', url: 'https://ad.doubleclick.net/ddm/activity' },
  });

describe('third-party-cookies', () => {
  checkTable(
    thirdPartyCookies,
    'third-party-cookies-none',
    [
      [
        'a 396-day third-party cookie',
        inVisit('none', (v) => v.cookies.push(ide(396))),
        'third-party-cookies-long-lived',
        'warn',
      ],
      [
        'a 395-day third-party cookie',
        inVisit('none', (v) => v.cookies.push(ide(395))),
        'third-party-cookies-set',
        'warn',
      ],
      [
        'a third-party session cookie',
        inVisit('gpc', (v) => v.cookies.push(cookie('sess', DOUBLECLICK))),
        'third-party-cookies-set',
        'warn',
      ],
      [
        'a long first-party cookie (_ga) is not third-party',
        inVisit('none', (v) => addAnalytics(v)),
        'third-party-cookies-none',
        'pass',
      ],
      [
        'a visit failed',
        inVisit('reject', (v) => (v.error = { code: 'timeout', message: 'slow' })),
        'third-party-cookies-incomplete',
        'error',
      ],
      ['no visits', browser((b) => (b.visits = [])), 'third-party-cookies-not-observed', 'skipped'],
    ],
    withBrowser,
  );

  it('groups by third party, lists lifetime, setter and visits, marks what Chrome would block', () => {
    const r = thirdPartyCookies.run(
      browser((b) => {
        for (const v of b.visits) v.cookies.push({ ...ide(396), blockedReasons: ['ThirdPartyPhaseout'] });
      }),
      { now: NOW },
    );
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0];
    expect(f?.title).toBe('1 cookie(s) set by third party Google (advertising), living up to 396 days');
    expect(f?.evidence).toContain(
      'cookie "IDE" on .doubleclick.net, 396 days, third-party, set by response "https://ad.doubleclick.net/ddm/activity"',
    );
    expect(f?.evidence).toContain('seen before consent, after you rejected, with GPC');
    expect(f?.evidence).toContain('Chromium refused to store it: ThirdPartyPhaseout');
    expect(f?.remediation).toContain('doubleclick.net');
  });
});
