import { parseSecurityTxt } from '../parse/security-txt.ts';
import type { Check, FindingDraft } from '../types.ts';
import { isHttpsUrl, quote, result, worst } from './helpers.ts';

const DAY_MS = 86_400_000;

function softNotFound(contentType: string | undefined, parsed: ReturnType<typeof parseSecurityTxt>): boolean {
  const html = /^(text\/html|application\/xhtml\+xml)\s*(;|$)/i.test(contentType ?? '');
  return html && parsed.contact.length === 0 && parsed.expires === undefined;
}

export const securityTxt: Check = {
  id: 'security-txt',
  category: 'disclosure',
  title: 'security.txt tells researchers how to report vulnerabilities',
  failureTitle: 'security.txt is missing or invalid',
  description:
    'Fetches /.well-known/security.txt and checks RFC 9116: served over HTTPS as text/plain, Contact and ' +
    'Expires present, Expires in the future and at most a year ahead, Canonical matching the URL, valid field ' +
    'syntax. An OpenPGP signature is noted (not verified).',
  remediation:
    'Publish /.well-known/security.txt over HTTPS with `Content-Type: text/plain; charset=utf-8`, containing at ' +
    'least `Contact:` and `Expires:` (less than a year ahead; renew it), plus `Canonical:` with its own URL.',
  references: ['https://www.rfc-editor.org/rfc/rfc9116', 'https://securitytxt.org/'],
  requires: ['securityTxt'],
  outcomes: {
    'security-txt-missing': 'No security.txt at /.well-known/security.txt.',
    'security-txt-not-https': 'security.txt is not served over HTTPS (RFC 9116 §3).',
    'security-txt-missing-contact': 'No Contact field (RFC 9116 §2.5.3, required).',
    'security-txt-missing-expires': 'No valid Expires field (RFC 9116 §2.5.5, required).',
    'security-txt-expired': 'Expires is in the past: the data is stale.',
    'security-txt-wrong-content-type': 'Not served as text/plain (RFC 9116 §3).',
    'security-txt-expires-too-far': 'Expires is more than a year ahead (RFC 9116 §2.5.5 recommends less).',
    'security-txt-canonical-mismatch':
      'Canonical fields do not include the URL it was fetched from (§2.5.2).',
    'security-txt-invalid-field': 'A line breaks the field syntax (RFC 9116 §4).',
    'security-txt-valid': 'A valid security.txt is published.',
  },
  run(a, context) {
    const txt = a.securityTxt;
    if (!txt) throw new Error('security.txt was not fetched');
    const where = quote(txt.finalUrl ?? txt.url);
    if (txt.status !== 200 || txt.body === undefined) {
      const ev = `GET ${quote(txt.url)} answered ${txt.status ?? 'nothing'}`;
      return result('security-txt-missing', 'warn', ev, [
        { outcome: 'security-txt-missing', title: 'security.txt is missing', evidence: ev },
      ]);
    }
    const now = (context?.now ?? new Date()).getTime();
    const parsed = parseSecurityTxt(txt.body);
    // A soft 404 (the site's HTML page answered 200) is a missing file, one finding, not one per absent field.
    if (softNotFound(txt.contentType, parsed)) {
      const ev = `GET ${quote(txt.url)} answered 200 with an HTML page (a soft 404), not a security.txt`;
      return result('security-txt-missing', 'warn', ev, [
        { outcome: 'security-txt-missing', title: 'security.txt is missing', evidence: ev },
      ]);
    }
    const found: FindingDraft[] = [];
    const add = (outcome: string, title: string, evidence: string) =>
      found.push({ outcome, title, evidence });
    if (!isHttpsUrl(txt.finalUrl ?? txt.url))
      add('security-txt-not-https', 'security.txt is not served over HTTPS', where);
    const type = (txt.contentType ?? '').toLowerCase();
    if (!/^text\/plain\s*(;|$)/.test(type)) {
      add(
        'security-txt-wrong-content-type',
        'security.txt is not text/plain',
        `Content-Type ${quote(txt.contentType ?? '(absent)')}`,
      );
    }
    if (parsed.contact.length === 0)
      add('security-txt-missing-contact', 'security.txt has no Contact', where);
    if (parsed.expiresAt === undefined) {
      add(
        'security-txt-missing-expires',
        'security.txt has no valid Expires',
        `Expires ${quote(parsed.expires ?? '(absent)')}`,
      );
    } else if (parsed.expiresAt <= now) {
      add('security-txt-expired', 'security.txt has expired', `Expires ${quote(parsed.expires ?? '')}`);
    } else if (parsed.expiresAt - now > 366 * DAY_MS) {
      add(
        'security-txt-expires-too-far',
        'security.txt Expires is more than a year ahead',
        `Expires ${quote(parsed.expires ?? '')}`,
      );
    }
    const fetched = [txt.url, txt.finalUrl].filter((u) => u !== undefined);
    if (parsed.canonical.length > 0 && !parsed.canonical.some((c) => fetched.includes(c))) {
      add(
        'security-txt-canonical-mismatch',
        'security.txt Canonical does not match its URL',
        `Canonical ${quote(parsed.canonical.join(', '))}, fetched ${where}`,
      );
    }
    for (const error of parsed.errors.slice(0, 5)) {
      add('security-txt-invalid-field', 'security.txt has an invalid line', quote(error));
    }
    const failing = new Set([
      'security-txt-not-https',
      'security-txt-missing-contact',
      'security-txt-missing-expires',
      'security-txt-expired',
      'security-txt-wrong-content-type',
    ]);
    const bad = worst(found, Object.keys(securityTxt.outcomes), (o) => (failing.has(o) ? 'fail' : 'warn'));
    if (bad) return bad;
    const signed = parsed.signed ? ', OpenPGP-signed (signature not verified)' : '';
    return result(
      'security-txt-valid',
      'pass',
      `${where}: Contact ${quote(parsed.contact.join(', '))}, Expires ${quote(parsed.expires ?? '')}${signed}`,
    );
  },
};
