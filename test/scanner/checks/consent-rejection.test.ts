import { describe, expect, it } from 'vitest';
import { consentRejection } from '../../../src/scanner/checks/consent-rejection.ts';
import { NOW } from '../helpers/artefacts.ts';
import { addAnalytics, browser, GTM_SCRIPT, inVisit, withBrowser } from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('consent-rejection', () => {
  checkTable(
    consentRejection,
    'consent-rejection-honoured',
    [
      // The reload after the rejection is at 1500 ms: analytics at 1600 ms runs after the visitor said no.
      [
        'analytics loads again after the reload',
        inVisit('reject', (v) => addAnalytics(v, 1600)),
        'consent-rejection-ignored',
        'fail',
      ],
      [
        'analytics ran before the rejection and its cookie was left in place',
        inVisit('reject', (v) => addAnalytics(v, 300)),
        'consent-rejection-ignored',
        'fail',
      ],
      [
        'analytics ran before the rejection and the consent tool deleted its cookie',
        inVisit('reject', (v) => {
          addAnalytics(v, 300);
          v.cookies = v.cookies.filter((c) => c.name !== '_ga');
        }),
        'consent-rejection-honoured',
        'pass',
      ],
      [
        'a cookieless tracker beacon after the reload',
        inVisit('reject', (v) => {
          addAnalytics(v, 1600);
          v.cookies = v.cookies.filter((c) => c.name !== '_ga');
        }),
        'consent-rejection-trackers-contacted',
        'fail',
      ],
      [
        'tracker requests cannot be timed (no reload time): not blamed on the rejection',
        inVisit('reject', (v) => {
          addAnalytics(v, 1600);
          v.cookies = v.cookies.filter((c) => c.name !== '_ga');
          delete v.consent?.reloadedAtMs;
        }),
        'consent-rejection-honoured',
        'pass',
      ],
      [
        'the banner offers no way to reject',
        inVisit(
          'reject',
          (v) => v.consent && ((v.consent.rejected = false), (v.consent.error = 'no reject button')),
        ),
        'consent-rejection-failed',
        'warn',
      ],
      [
        'no banner at all',
        inVisit('reject', (v) => (v.consent = { popupFound: false, rejected: false })),
        'consent-rejection-no-banner',
        'pass',
      ],
      [
        'a consent tool present but never shown, never rejected',
        inVisit('reject', (v) => (v.consent = { cmp: 'Cookiebot', popupFound: false, rejected: false })),
        'consent-rejection-no-banner',
        'pass',
      ],
      [
        'the reject visit failed before anything was found',
        inVisit('reject', (v) => (v.error = { code: 'timeout', message: 'visit took longer than 30 s' })),
        'consent-rejection-incomplete',
        'error',
      ],
      [
        'tracking before consent alone is not this check’s business',
        inVisit('none', (v) => addAnalytics(v)),
        'consent-rejection-honoured',
        'pass',
      ],
      [
        'one-visit scan',
        browser((b) => (b.visits = b.visits.filter((v) => v.kind === 'none'))),
        'consent-rejection-not-observed',
        'skipped',
      ],
    ],
    withBrowser,
  );

  it('says the cookie was set after the rejection, names the script and cross-checks the tool’s claim', () => {
    const r = consentRejection.run(
      inVisit('reject', (v) => {
        addAnalytics(v, 1600);
        if (v.consent) v.consent.selfTest = false;
      }),
      { now: NOW },
    );
    const cookie = r.findings.find((f) => f.outcome === 'consent-rejection-ignored');
    expect(cookie?.title).toBe('Tracking cookie "_ga" set after you rejected (Google (tag-manager))');
    expect(cookie?.evidence).toMatch(/^after you rejected: cookie "_ga"/);
    expect(cookie?.evidence).toContain(
      'consent tool "Onetrust" reported the rejection as done, but its own self-test found consent still given',
    );
    expect(cookie?.remediation).toContain(JSON.stringify(GTM_SCRIPT));
    expect(cookie?.remediation).toContain('delete it when the visitor rejects');
    const beacon = r.findings.find((f) =>
      f.title.startsWith('Tracker google-analytics.com still contacted after you rejected'),
    );
    expect(beacon?.evidence).toContain(
      'after you rejected (page reloaded): 1 request(s) to google-analytics.com',
    );
  });

  it('a cookie set before the rejection and left is said to be so', () => {
    const r = consentRejection.run(
      inVisit('reject', (v) => addAnalytics(v, 300)),
      { now: NOW },
    );
    expect(r.findings[0]?.title).toContain('set before you rejected and still present after it');
    // Its beacon at 350 ms was before the reload: not reported as contacted after the rejection.
    expect(r.findings.some((f) => f.outcome === 'consent-rejection-trackers-contacted')).toBe(false);
  });
});
