import { describe, expect, it } from 'vitest';
import type { FingerprintEvidence } from '../../../src/scanner/browser/types.ts';
import { fingerprinting } from '../../../src/scanner/checks/fingerprinting.ts';
import { NOW } from '../helpers/artefacts.ts';
import { browser, inVisit, withBrowser } from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const fp = (
  technique: FingerprintEvidence['technique'],
  party: 'first' | 'third' = 'third',
): FingerprintEvidence => ({
  technique,
  script: party === 'third' ? 'https://fp.tracker.test/fp.js' : 'https://example.test/antifraud.js',
  party,
  evidence: 'toDataURL on a 220×30 canvas after fillText "Cwm fjordbank glyphs vext quiz" in 2 colours',
  frame: 'https://fp.tracker.test/fp.js:1:2048',
});

describe('fingerprinting', () => {
  checkTable(
    fingerprinting,
    'fingerprinting-none',
    [
      [
        'third-party canvas',
        inVisit('none', (v) => v.fingerprinting.push(fp('canvas'))),
        'fingerprinting-third-party',
        'fail',
      ],
      [
        'third-party WebGL',
        inVisit('gpc', (v) => v.fingerprinting.push(fp('webgl'))),
        'fingerprinting-third-party',
        'fail',
      ],
      [
        'third-party audio',
        inVisit('reject', (v) => v.fingerprinting.push(fp('audio'))),
        'fingerprinting-third-party',
        'fail',
      ],
      [
        'third-party canvas fonts',
        inVisit('none', (v) => v.fingerprinting.push(fp('canvas-font'))),
        'fingerprinting-third-party',
        'fail',
      ],
      [
        'WebRTC address discovery',
        inVisit('none', (v) => v.fingerprinting.push(fp('webrtc'))),
        'fingerprinting-third-party',
        'fail',
      ],
      [
        'first-party canvas (fraud detection)',
        inVisit('none', (v) => v.fingerprinting.push(fp('canvas', 'first'))),
        'fingerprinting-first-party',
        'fail',
      ],
      [
        'first- and third-party: the third party decides',
        inVisit('none', (v) => v.fingerprinting.push(fp('canvas', 'first'), fp('audio'))),
        'fingerprinting-third-party',
        'fail',
      ],
      [
        'a visit failed',
        inVisit('gpc', (v) => (v.error = { code: 'timeout', message: 'slow' })),
        'fingerprinting-incomplete',
        'error',
      ],
      ['no visits', browser((b) => (b.visits = [])), 'fingerprinting-not-observed', 'skipped'],
    ],
    withBrowser,
  );

  it('one finding per script and technique, naming every visit, the script and the stack frame', () => {
    const r = fingerprinting.run(
      browser((b) => {
        for (const v of b.visits) v.fingerprinting.push(fp('canvas'));
      }),
      { now: NOW },
    );
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.title).toBe('Canvas fingerprinting by fp.tracker.test');
    expect(r.findings[0]?.evidence).toContain(
      'before consent, after you rejected, with GPC: script "https://fp.tracker.test/fp.js" (third party)',
    );
    expect(r.findings[0]?.evidence).toContain('at "https://fp.tracker.test/fp.js:1:2048"');
    expect(r.findings[0]?.remediation).toContain(
      'Remove the script "https://fp.tracker.test/fp.js" (from fp.tracker.test)',
    );
  });
});
