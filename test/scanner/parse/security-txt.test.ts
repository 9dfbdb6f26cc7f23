import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSecurityTxt } from '../../../src/scanner/parse/security-txt.ts';

describe('parseSecurityTxt', () => {
  it('reads fields, ignoring comments and blank lines', () => {
    const t = parseSecurityTxt(
      '# hi\n\nContact: mailto:a@b.test\r\nContact: https://b.test/report\nExpires: 2026-01-01T00:00:00.000Z\n',
    );
    expect(t.contact).toEqual(['mailto:a@b.test', 'https://b.test/report']);
    expect(t.expiresAt).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(t.errors).toEqual([]);
  });

  it.each([
    ['Expires: 2026-01-01', 'not an RFC 3339 date-time'],
    ['Expires: 2026-01-01T00:00:00Z\nExpires: 2027-01-01T00:00:00Z', 'only once'],
    ['no colon here', 'not a "Field: value" line'],
    ['Contact:', 'empty value'],
    ['Contact: not a uri', 'is not a URI'],
    ['Preferred-Languages: en\nPreferred-Languages: de', 'only once'],
  ])('%j reports an error', (input, message) => {
    expect(parseSecurityTxt(input).errors.join('\n')).toContain(message);
  });

  it('unwraps an OpenPGP cleartext signature, including dash-escaped lines', () => {
    const t = parseSecurityTxt(
      '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n- Contact: mailto:a@b.test\n-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----',
    );
    expect(t.signed).toBe(true);
    expect(t.contact).toEqual(['mailto:a@b.test']);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => void parseSecurityTxt(s)));
  });

  it('finds every Contact it is given', () => {
    const uri = fc.webUrl();
    fc.assert(
      fc.property(fc.array(uri, { minLength: 1, maxLength: 5 }), (uris) => {
        expect(parseSecurityTxt(uris.map((u) => `Contact: ${u}`).join('\n')).contact).toEqual(uris);
      }),
    );
  });
});
