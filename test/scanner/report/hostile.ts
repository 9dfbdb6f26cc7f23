/** A report whose site-supplied strings try every injection the renderers must defuse. */
import { analyze } from '../../../src/scanner/analyze.ts';
import type { Report } from '../../../src/scanner/types.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';

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
