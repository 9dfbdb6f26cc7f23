import { describe, expect, it } from 'vitest';
import { directoryListing } from '../../../src/scanner/checks/directory-listing.ts';
import type { ProbeArtefact } from '../../../src/scanner/types.ts';
import { NOW, set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const probes = (...list: ProbeArtefact[]) =>
  set((a) => {
    a.directoryListings = list;
  });
const html = (snippet: string, status = 200): ProbeArtefact => ({
  path: '/uploads/',
  status,
  contentType: 'text/html',
  snippet,
});

describe('directory-listing', () => {
  checkTable(directoryListing, 'directory-listing-none', [
    [
      'Apache index',
      probes(html('<html><head><title>Index of /uploads</title></head><body><h1>Index of /uploads</h1>')),
      'directory-listing-enabled',
      'fail',
    ],
    [
      'nginx autoindex',
      probes(
        html(
          '<html>\r\n<head><title>Index of /uploads/</title></head>\r\n<body>\r\n<h1>Index of /uploads/</h1>',
        ),
      ),
      'directory-listing-enabled',
      'fail',
    ],
    [
      'IIS browsing',
      probes(html('<pre><A HREF="/">[To Parent Directory]</A><br>')),
      'directory-listing-enabled',
      'fail',
    ],
    [
      'Python http.server',
      probes(html('<title>Directory listing for /uploads/</title>')),
      'directory-listing-enabled',
      'fail',
    ],
    [
      'a page of the site about uploads',
      probes(html('<title>Uploads — Acme</title><h1>Your uploads</h1>')),
      'directory-listing-none',
      'pass',
    ],
    [
      'a listing that answers 403',
      probes(html('<title>Index of /uploads</title>', 403)),
      'directory-listing-none',
      'pass',
    ],
    [
      'nothing answered',
      probes({ path: '/uploads/', error: { code: 'timeout', message: 't' } }),
      'directory-listing-none',
      'pass',
    ],
  ]);

  it('names each listing directory and quotes the marker', () => {
    const r = directoryListing.run(
      probes(html('<title>Index of /uploads</title>'), {
        ...html('<h1>Index of /backup</h1>'),
        path: '/backup/',
      }),
      { now: NOW },
    );
    expect(r.findings.map((f) => f.title)).toEqual(['/uploads/ lists its files', '/backup/ lists its files']);
    expect(r.findings[0]!.evidence).toContain('"<title>Index of /"');
  });
});
