import { describe, expect, it } from 'vitest';
import { httpTrace } from '../../../src/scanner/checks/http-trace.ts';
import type { ProbeArtefact } from '../../../src/scanner/types.ts';
import { NOW, set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const trace = (t: Omit<ProbeArtefact, 'path'>) =>
  set((a) => {
    a.trace = { path: '/', method: 'TRACE', ...t };
  });

describe('http-trace', () => {
  checkTable(httpTrace, 'http-trace-disabled', [
    [
      'echo as message/http',
      trace({ status: 200, contentType: 'message/http' }),
      'http-trace-enabled',
      'fail',
    ],
    [
      'echo as text/plain',
      trace({ status: 200, contentType: 'text/plain', snippet: 'TRACE / HTTP/1.1\r\nhost: x\r\n' }),
      'http-trace-enabled',
      'fail',
    ],
    [
      '405',
      trace({ status: 405, contentType: 'text/html', snippet: 'Method Not Allowed' }),
      'http-trace-disabled',
      'pass',
    ],
    [
      '200 without an echo (the home page)',
      trace({ status: 200, contentType: 'text/html', snippet: '<html>' }),
      'http-trace-disabled',
      'pass',
    ],
    [
      'connection dropped',
      trace({ error: { code: 'connection_reset', message: 'reset' } }),
      'http-trace-disabled',
      'pass',
    ],
  ]);

  it('quotes what came back', () => {
    const r = httpTrace.run(trace({ status: 200, contentType: 'message/http' }), { now: NOW });
    expect(r.findings[0]!.evidence).toBe('TRACE / → 200, "message/http"');
  });
});
