import { describe } from 'vitest';
import { httpRedirect } from '../../../src/scanner/checks/http-redirect.ts';
import type { ResponseArtefact } from '../../../src/scanner/types.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const hop = (url: string, status: number, location?: string): ResponseArtefact => ({
  url,
  status,
  headers: location ? { location: [location] } : {},
  timingMs: 1,
});

function chain(...hops: ResponseArtefact[]) {
  return set((a) => {
    a.httpRedirect = { requestedUrl: 'http://example.test/', hops, final: hops[hops.length - 1] };
  });
}

describe('http-redirect', () => {
  checkTable(httpRedirect, 'http-redirect-to-https', [
    ['http serves 200', chain(hop('http://example.test/', 200)), 'http-redirect-missing', 'fail'],
    [
      'redirect stays on http',
      chain(
        hop('http://example.test/', 301, 'http://www.example.test/'),
        hop('http://www.example.test/', 200),
      ),
      'http-redirect-not-to-https',
      'fail',
    ],
    [
      'first hop to another http URL',
      chain(
        hop('http://example.test/', 301, 'http://www.example.test/'),
        hop('http://www.example.test/', 301, 'https://www.example.test/'),
        hop('https://www.example.test/', 200),
      ),
      'http-redirect-not-https-first',
      'warn',
    ],
    [
      'first hop to https on another host',
      chain(
        hop('http://example.test/', 301, 'https://www.example.test/'),
        hop('https://www.example.test/', 200),
      ),
      'http-redirect-off-host',
      'warn',
    ],
    [
      'port 80 closed',
      set((a) => {
        a.httpRedirect = {
          requestedUrl: 'http://example.test/',
          hops: [],
          error: { code: 'connect_failed', message: 'refused' },
        };
      }),
      'http-redirect-not-needed',
      'pass',
    ],
    [
      'no plain-http request made',
      set((a) => {
        delete a.httpRedirect;
      }),
      'http-redirect-not-needed',
      'skipped',
    ],
  ]);
});
