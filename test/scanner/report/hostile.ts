/** A report whose site-supplied strings try every injection the renderers must defuse. */
import { analyze } from '../../../src/scanner/analyze.ts';
import type { Report } from '../../../src/scanner/types.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { browserBaseline, cookie, request, withBrowser } from '../helpers/browser-artefacts.ts';

export const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u001b[2J\u001b]8;;https://evil.test\u0007click\u001b]8;;\u0007\u001b[31mred',
  '[click](javascript:alert(1)) ![x](https://evil.test/p.png) **bold** `code` | pipe',
  '\u202eevil\u202c',
].join(' ');

export function hostileReport(): Report {
  const a = withHeaders(baseline(), {
    server: [`nginx/1.0 ${HOSTILE}`],
    'x-frame-options': [HOSTILE],
    'referrer-policy': [HOSTILE],
    'content-security-policy': [`script-src 'unsafe-inline' ${HOSTILE}`],
  });
  // Targets are normalised by URL parsing before a scan, so hostile characters arrive percent-encoded.
  a.target = new URL('https://example.test/?q=<script>').href;
  return analyze(a, { startedAt: '2025-06-01T00:00:00Z', finishedAt: '2025-06-01T00:00:05Z' });
}

/**
 * A browser-stage report whose page-supplied strings (script URLs, cookie names and domains, page
 * title, consent tool name, storage keys, axe's help and selectors) all carry HOSTILE.
 */
export function hostilePrivacyReport(): Report {
  const b = browserBaseline();
  const script = `https://evil.test/${HOSTILE}.js`;
  const tracker = {
    domain: `evil.test${HOSTILE}`,
    party: 'third' as const,
    tracker: { list: 'easyprivacy' as const, filter: `||evil.test^${HOSTILE}` },
    owner: { company: `Evil ${HOSTILE}`, purpose: 'advertising' as const, source: 'https://evil.test/' },
  };
  for (const v of b.visits) {
    v.title = HOSTILE;
    v.finalUrl = `https://example.test/${HOSTILE}`;
    v.requests.push(request(script, tracker, { initiator: `https://example.test/${HOSTILE}` }));
    v.cookies.push(
      cookie(`c${HOSTILE}`, tracker, {
        domain: `.evil.test${HOSTILE}`,
        setBy: { via: 'js', url: script },
        blockedReasons: [HOSTILE],
      }),
    );
    v.fingerprinting.push({ technique: 'canvas', script, party: 'third', evidence: HOSTILE, frame: HOSTILE });
    v.sessionReplay.push({ script, vendor: HOSTILE, by: 'behaviour', evidence: HOSTILE });
    v.keyLogging.push({
      field: 'password',
      encoding: 'plain',
      normalised: false,
      where: 'body',
      requestUrl: script,
      initiator: script,
      party: 'third',
      evidence: HOSTILE,
    });
    v.pixels.push({ vendor: 'facebook', event: HOSTILE, advancedMatching: [HOSTILE], url: script });
    v.storage.push({
      area: 'localStorage',
      origin: HOSTILE,
      key: HOSTILE,
      valuePreview: `3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f ${HOSTILE}`,
      script,
      party: 'third',
    });
    v.error = { code: HOSTILE, message: HOSTILE };
  }
  const reject = b.visits.find((v) => v.kind === 'reject')!;
  reject.consent = { cmp: HOSTILE, popupFound: true, rejected: true, error: HOSTILE, reloadedAtMs: 0 };
  const gpc = b.visits.find((v) => v.kind === 'gpc')!;
  gpc.gpc = {
    headerSent: true,
    navigatorValue: true,
    wellKnown: { status: 200, error: HOSTILE, lastUpdate: HOSTILE },
  };
  b.browser.product = HOSTILE;
  b.lists = [{ id: 'easyprivacy', name: HOSTILE, date: HOSTILE, licence: HOSTILE }];
  b.accessibility = {
    engine: HOSTILE,
    url: HOSTILE,
    violations: [
      {
        id: HOSTILE,
        impact: 'critical',
        tags: ['wcag2a', HOSTILE],
        help: HOSTILE,
        helpUrl: `javascript:alert(1)//${HOSTILE}`,
        nodes: [{ target: HOSTILE, html: HOSTILE }],
      },
    ],
    error: { code: HOSTILE, message: HOSTILE },
  };
  return analyze(withBrowser(b), { startedAt: '2025-06-01T00:00:00Z', finishedAt: '2025-06-01T00:00:05Z' });
}
