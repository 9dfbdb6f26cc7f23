import { describe, expect, it } from 'vitest';
import type { KeyLoggingEvidence } from '../../../src/scanner/browser/types.ts';
import { keyLogging } from '../../../src/scanner/checks/key-logging.ts';
import { NOW } from '../helpers/artefacts.ts';
import { browser, inVisit, withBrowser } from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const leak = (extra: Partial<KeyLoggingEvidence> = {}): KeyLoggingEvidence => ({
  field: 'email',
  encoding: 'sha256',
  normalised: true,
  where: 'url',
  requestUrl: 'https://www.facebook.test/tr?id=1&ev=PageView&ud[em]=5c1e…',
  initiator: 'https://connect.facebook.test/en_US/fbevents.js',
  party: 'third',
  evidence: 'ud[em]=5c1e2b…',
  ...extra,
});

describe('key-logging', () => {
  checkTable(
    keyLogging,
    'key-logging-none',
    [
      [
        'hashed e-mail to a third party',
        inVisit('none', (v) => v.keyLogging.push(leak())),
        'key-logging-third-party',
        'fail',
      ],
      [
        'a plain password in a WebSocket frame',
        inVisit('gpc', (v) =>
          v.keyLogging.push(
            leak({ field: 'password', encoding: 'plain', normalised: false, where: 'websocket' }),
          ),
        ),
        'key-logging-third-party',
        'fail',
      ],
      [
        'a name sent to the site itself (autosave)',
        inVisit('none', (v) =>
          v.keyLogging.push(
            leak({
              field: 'name',
              encoding: 'plain',
              party: 'first',
              requestUrl: 'https://example.test/draft',
            }),
          ),
        ),
        'key-logging-first-party',
        'fail',
      ],
      [
        'no input field anywhere',
        browser((b) => b.visits.forEach((v) => (v.canariesTyped = false))),
        'key-logging-no-inputs',
        'pass',
      ],
      [
        'inputs in one visit only',
        browser((b) => (b.visits[1]!.canariesTyped = false)),
        'key-logging-none',
        'pass',
      ],
      [
        'a visit failed',
        inVisit('none', (v) => (v.error = { code: 'timeout', message: 'slow' })),
        'key-logging-incomplete',
        'error',
      ],
      ['no visits', browser((b) => (b.visits = [])), 'key-logging-not-observed', 'skipped'],
    ],
    withBrowser,
  );

  it('one finding per field and host, listing every encoding, where it went and the script', () => {
    const r = keyLogging.run(
      inVisit('none', (v) =>
        v.keyLogging.push(leak(), leak({ encoding: 'sha1', normalised: false }), leak({ field: 'phone' })),
      ),
      { now: NOW },
    );
    expect(r.findings.map((f) => f.title)).toEqual([
      'The e-mail address typed into the page was sent to www.facebook.test before submitting',
      'The phone number typed into the page was sent to www.facebook.test before submitting',
    ]);
    expect(r.findings[0]?.evidence).toContain(
      'before consent: e-mail address as a SHA-256 hash of the normalised value, as a SHA-1 hash in a request URL',
    );
    expect(r.findings[0]?.evidence).toContain('by script "https://connect.facebook.test/en_US/fbevents.js"');
    expect(r.findings[0]?.remediation).toContain('connect.facebook.test');
  });
});
