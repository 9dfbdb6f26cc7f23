import { parseTagList, recordsWithVersion } from '../parse/tag-value.ts';
import type { Check, FindingDraft } from '../types.ts';
import { quote, result, worst } from './helpers.ts';

export const dmarc: Check = {
  id: 'dmarc',
  category: 'domain',
  title: 'DMARC tells receivers to reject mail that fails SPF and DKIM',
  failureTitle: 'DMARC is missing or does not protect the domain',
  description:
    'Reads the `v=DMARC1` TXT record at `_dmarc.<registrable domain>` (RFC 7489 §6). The policy `p=` must be ' +
    '`quarantine` or `reject` for spoofed mail to be stopped; `p=none` only monitors, `pct` below 100 applies ' +
    'the policy to part of the mail, and without `rua` the owner gets no aggregate reports.',
  remediation:
    'Publish `_dmarc.example.com. TXT "v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com"` ' +
    '(start with p=none while you read the reports, then move to quarantine and reject).',
  references: ['https://www.rfc-editor.org/rfc/rfc7489', 'https://internet.nl/faqs/'],
  requires: ['dns'],
  outcomes: {
    'dmarc-missing': 'No DMARC record.',
    'dmarc-invalid': 'More than one record, no valid p= tag, or malformed tags.',
    'dmarc-none': 'p=none: spoofed mail is delivered; the policy only monitors.',
    'dmarc-partial': 'pct below 100: the policy applies to part of the mail only.',
    'dmarc-no-reports': 'No rua= address: the owner receives no aggregate reports.',
    'dmarc-enforced': 'p=quarantine or p=reject on all mail.',
  },
  run(a) {
    const lookup = a.dns!.dmarc;
    if (lookup.error) throw new Error(`TXT lookup of ${lookup.name} failed: ${lookup.error.message}`);
    const records = recordsWithVersion(lookup.records, 'DMARC1');
    if (records.length === 0) {
      const ev = `no v=DMARC1 record at ${quote(lookup.name)}`;
      return result('dmarc-missing', 'fail', ev, [
        { outcome: 'dmarc-missing', title: 'No DMARC record for the domain', evidence: ev },
      ]);
    }
    const ev = `DMARC at ${quote(lookup.name)}: ${records.map((r) => quote(r, 200)).join(', ')}`;
    const { tags, errors } = parseTagList(records[0]!);
    const p = tags.get('p')?.toLowerCase();
    if (records.length > 1 || errors.length > 0 || !['none', 'quarantine', 'reject'].includes(p ?? '')) {
      const why =
        records.length > 1
          ? 'more than one record'
          : [...errors, ...(p ? [] : ['no p= tag'])].join(', ') || `p=${p}`;
      return result('dmarc-invalid', 'fail', `${ev} (${why})`, [
        { outcome: 'dmarc-invalid', title: 'The DMARC record is invalid', evidence: `${ev} (${why})` },
      ]);
    }
    const found: FindingDraft[] = [];
    if (p === 'none')
      found.push({ outcome: 'dmarc-none', title: 'DMARC policy is p=none (monitoring only)', evidence: ev });
    const pct = tags.get('pct');
    if (pct !== undefined && p !== 'none' && /^\d+$/.test(pct) && Number(pct) < 100)
      found.push({
        outcome: 'dmarc-partial',
        title: `DMARC policy applies to ${pct} % of mail`,
        evidence: ev,
      });
    if (!tags.get('rua'))
      found.push({
        outcome: 'dmarc-no-reports',
        title: 'DMARC asks for no aggregate reports (no rua)',
        evidence: ev,
      });
    const bad = worst(found, Object.keys(dmarc.outcomes), (o) => (o === 'dmarc-none' ? 'fail' : 'warn'));
    return bad ?? result('dmarc-enforced', 'pass', ev);
  },
};
