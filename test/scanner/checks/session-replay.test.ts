import { describe, expect, it } from 'vitest';
import { sessionReplay } from '../../../src/scanner/checks/session-replay.ts';
import { NOW } from '../helpers/artefacts.ts';
import { browser, inVisit, withBrowser } from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const hotjar = {
  script: 'https://static.hotjar.com/c/hotjar-1.js',
  vendor: 'Hotjar',
  by: 'host' as const,
  evidence: 'script host static.hotjar.com is a session-replay vendor',
};
const custom = {
  script: 'https://rec.example.test/rec.js',
  by: 'behaviour' as const,
  evidence: 'MutationObserver on document, 14 mutation batches sent to https://rec.example.test/ingest',
};

describe('session-replay', () => {
  checkTable(
    sessionReplay,
    'session-replay-none',
    [
      [
        'Hotjar by host',
        inVisit('none', (v) => v.sessionReplay.push(hotjar)),
        'session-replay-found',
        'fail',
      ],
      [
        'a recorder by behaviour',
        inVisit('reject', (v) => v.sessionReplay.push(custom)),
        'session-replay-found',
        'fail',
      ],
      [
        'a visit failed',
        inVisit('none', (v) => (v.error = { code: 'timeout', message: 'slow' })),
        'session-replay-incomplete',
        'error',
      ],
      ['no visits', browser((b) => (b.visits = [])), 'session-replay-not-observed', 'skipped'],
    ],
    withBrowser,
  );

  it('names the vendor, how it was recognised and every visit it ran in', () => {
    const r = sessionReplay.run(
      browser((b) => {
        for (const v of b.visits) v.sessionReplay.push(hotjar);
        b.visits[0]?.sessionReplay.push(custom);
      }),
      { now: NOW },
    );
    expect(r.findings.map((f) => f.title)).toEqual([
      'Session replay by "Hotjar"',
      'Session replay by rec.example.test',
    ]);
    expect(r.findings[0]?.evidence).toContain(
      'before consent, after you rejected, with GPC: script "https://static.hotjar.com/c/hotjar-1.js" (a known session-replay vendor)',
    );
    expect(r.findings[1]?.evidence).toContain('(it serialised the page and sent its changes)');
  });
});
