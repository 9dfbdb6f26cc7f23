import { describe, expect, it } from 'vitest';
import { securityTxt } from '../../../src/scanner/checks/security-txt.ts';
import type { SecurityTxtArtefact } from '../../../src/scanner/types.ts';
import { NOW, set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const GOOD = 'Contact: mailto:security@example.test\nExpires: 2026-01-01T00:00:00Z';
const txt = (change: Partial<SecurityTxtArtefact>) =>
  set((a) => {
    if (a.securityTxt) Object.assign(a.securityTxt, change);
  });

describe('security-txt', () => {
  // NOW is 2025-06-01.
  checkTable(securityTxt, 'security-txt-valid', [
    ['404', txt({ status: 404, body: undefined }), 'security-txt-missing', 'warn'],
    [
      'served over http',
      txt({ finalUrl: 'http://example.test/.well-known/security.txt', body: GOOD }),
      'security-txt-not-https',
      'fail',
    ],
    [
      'soft 404: an HTML page with no field',
      txt({
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><title>Not found</title><p>Sorry',
      }),
      'security-txt-missing',
      'warn',
    ],
    ['text/html', txt({ contentType: 'text/html', body: GOOD }), 'security-txt-wrong-content-type', 'fail'],
    ['no Contact', txt({ body: 'Expires: 2026-01-01T00:00:00Z' }), 'security-txt-missing-contact', 'fail'],
    ['no Expires', txt({ body: 'Contact: mailto:a@example.test' }), 'security-txt-missing-expires', 'fail'],
    [
      'Expires not RFC 3339',
      txt({ body: 'Contact: mailto:a@example.test\nExpires: next year' }),
      'security-txt-missing-expires',
      'fail',
    ],
    [
      'expired',
      txt({ body: 'Contact: mailto:a@example.test\nExpires: 2025-05-01T00:00:00Z' }),
      'security-txt-expired',
      'fail',
    ],
    [
      'two years ahead',
      txt({ body: 'Contact: mailto:a@example.test\nExpires: 2027-06-01T00:00:00Z' }),
      'security-txt-expires-too-far',
      'warn',
    ],
    [
      'Canonical elsewhere',
      txt({ body: `${GOOD}\nCanonical: https://other.test/.well-known/security.txt` }),
      'security-txt-canonical-mismatch',
      'warn',
    ],
    ['garbage line', txt({ body: `${GOOD}\nthis is not a field` }), 'security-txt-invalid-field', 'warn'],
    [
      'signed file',
      txt({
        body: `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${GOOD}\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----`,
      }),
      'security-txt-valid',
      'pass',
    ],
  ]);

  it('reports a soft 404 as one missing file, not one finding per absent field', () => {
    const page = txt({ contentType: 'text/html', body: '<html><body><h1>Page not found</h1></body></html>' });
    const run = securityTxt.run(page, { now: NOW });
    expect(run.findings.map((f) => f.outcome)).toEqual(['security-txt-missing']);
    expect(run.evidence).toContain('soft 404');
  });
});
