import { describe, expect, it } from 'vitest';
import { gpc } from '../../../src/scanner/checks/gpc.ts';
import { NOW } from '../helpers/artefacts.ts';
import {
  addAnalytics,
  browser,
  HOTJAR,
  inVisit,
  request,
  withBrowser,
} from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('gpc', () => {
  checkTable(
    gpc,
    'gpc-honoured',
    [
      [
        'analytics with GPC on, gpc.json claims support',
        inVisit('gpc', (v) => addAnalytics(v)),
        'gpc-ignored-despite-claim',
        'fail',
      ],
      [
        'analytics with GPC on, no gpc.json',
        inVisit('gpc', (v) => {
          addAnalytics(v);
          if (v.gpc) v.gpc.wellKnown = { status: 404 };
        }),
        'gpc-ignored',
        'fail',
      ],
      [
        'a tracker request only (owner map), gpc.json says false',
        inVisit('gpc', (v) => {
          v.requests.push(request('https://static.hotjar.com/c/hotjar-1.js', HOTJAR));
          if (v.gpc) v.gpc.wellKnown = { status: 200, gpc: false };
        }),
        'gpc-ignored',
        'fail',
      ],
      [
        'honoured, gpc.json without a boolean',
        inVisit('gpc', (v) => v.gpc && (v.gpc.wellKnown = { status: 200 })),
        'gpc-well-known-invalid',
        'warn',
      ],
      [
        'honoured, no gpc.json at all',
        inVisit('gpc', (v) => v.gpc && (v.gpc.wellKnown = { status: 404 })),
        'gpc-honoured',
        'pass',
      ],
      [
        'tracking without GPC is not this check’s business',
        inVisit('none', (v) => addAnalytics(v)),
        'gpc-honoured',
        'pass',
      ],
      [
        'the browser did not send the signal',
        inVisit('gpc', (v) => v.gpc && ((v.gpc.headerSent = false), (v.gpc.navigatorValue = false))),
        'gpc-incomplete',
        'error',
      ],
      [
        'the visit failed',
        inVisit('gpc', (v) => (v.error = { code: 'crashed', message: 'page crashed' })),
        'gpc-incomplete',
        'error',
      ],
      [
        'one-visit scan',
        browser((b) => (b.visits = b.visits.filter((v) => v.kind === 'none'))),
        'gpc-not-observed',
        'skipped',
      ],
    ],
    withBrowser,
  );

  it('says the visit had GPC on and that the site claims to honour it', () => {
    const r = gpc.run(
      inVisit('gpc', (v) => addAnalytics(v)),
      { now: NOW },
    );
    expect(r.findings[0]?.title).toBe('Tracking cookie "_ga" set with GPC on (Google (tag-manager))');
    expect(r.findings[0]?.evidence).toMatch(/^with GPC: cookie "_ga"/);
    expect(r.findings[0]?.evidence).toContain('/.well-known/gpc.json claims support ("gpc": true)');
    expect(r.findings[0]?.remediation).toContain('www.googletagmanager.com');
  });
});
