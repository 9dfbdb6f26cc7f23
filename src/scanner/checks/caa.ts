import type { Check } from '../types.ts';
import { quote, result } from './helpers.ts';

/** Property tags a CA understands (RFC 8659 §4; RFC 9495 adds issuemail, contactemail/phone by CA/B). */
const KNOWN_TAGS = new Set([
  'issue',
  'issuewild',
  'iodef',
  'issuemail',
  'issuevmc',
  'contactemail',
  'contactphone',
]);

export const caa: Check = {
  id: 'caa',
  category: 'domain',
  title: 'CAA records name the certificate authorities allowed to issue',
  failureTitle: 'No CAA record restricts which CAs may issue certificates',
  description:
    'Looks up CAA records at the host and each parent up to the registrable domain, as a CA must (RFC 8659 §3). ' +
    'Without CAA any publicly trusted CA may issue a certificate for the name; an unknown tag marked critical ' +
    'forbids issuance by every CA.',
  remediation:
    'Publish CAA records for the CAs you use, e.g. `example.com. CAA 0 issue "letsencrypt.org"` and ' +
    '`CAA 0 iodef "mailto:security@example.com"`.',
  references: ['https://www.rfc-editor.org/rfc/rfc8659', 'https://internet.nl/faqs/'],
  requires: ['dns'],
  outcomes: {
    'caa-invalid': 'A CAA record is malformed or carries an unknown critical tag (no CA may issue).',
    'caa-missing': 'No CAA record at the host or any parent up to the registrable domain.',
    'caa-present': 'CAA records restrict issuance.',
  },
  run(a) {
    const lookups = a.dns!.caa;
    const failed = lookups.find((l) => l.error);
    if (failed) throw new Error(`CAA lookup of ${failed.name} failed: ${failed.error!.message}`);
    const found = lookups.find((l) => l.records.length > 0);
    if (!found) {
      const ev = `no CAA at ${lookups.map((l) => l.name).join(', ')}`;
      return result('caa-missing', 'warn', ev, [
        { outcome: 'caa-missing', title: 'No CAA record restricts certificate issuance', evidence: ev },
      ]);
    }
    const ev = `CAA at ${found.name}: ${found.records.map((r) => quote(r, 120)).join(', ')}`;
    const bad = found.records.filter((r) => {
      const m = /^(\d+) ([A-Za-z0-9]+) "(.*)"$/s.exec(r);
      if (!m) return true;
      const critical = (Number(m[1]) & 128) !== 0;
      return critical && !KNOWN_TAGS.has(m[2]!.toLowerCase());
    });
    if (bad.length > 0) {
      return result('caa-invalid', 'fail', ev, [
        {
          outcome: 'caa-invalid',
          title: 'A CAA record is malformed or has an unknown critical tag',
          evidence: `CAA at ${found.name}: ${bad.map((r) => quote(r, 120)).join(', ')}`,
        },
      ]);
    }
    return result('caa-present', 'pass', ev);
  },
};
