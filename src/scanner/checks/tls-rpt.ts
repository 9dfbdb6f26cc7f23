import { parseTagList, recordsWithVersion } from '../parse/tag-value.ts';
import type { Check } from '../types.ts';
import { quote, receivesMail, result } from './helpers.ts';

export const tlsRpt: Check = {
  id: 'tls-rpt',
  category: 'domain',
  title: 'TLS-RPT asks sending servers to report mail TLS failures',
  failureTitle: 'No TLS-RPT record: mail TLS failures go unreported',
  description:
    'For a domain with MX records: reads the `v=TLSRPTv1` TXT record at `_smtp._tls.<domain>` (RFC 8460 §3). ' +
    'It needs at least one `rua=` address (mailto: or https:) to receive reports.',
  remediation: 'Publish `_smtp._tls.example.com. TXT "v=TLSRPTv1; rua=mailto:tls-reports@example.com"`.',
  references: ['https://www.rfc-editor.org/rfc/rfc8460'],
  requires: ['dns'],
  outcomes: {
    'tls-rpt-invalid': 'More than one record, or no valid rua= address.',
    'tls-rpt-missing': 'The domain receives mail but publishes no TLS-RPT record.',
    'tls-rpt-valid': 'A valid TLS-RPT record.',
    'tls-rpt-not-applicable': 'The domain has no MX records.',
  },
  run(a) {
    const d = a.dns!;
    if (d.mx.error) throw new Error(`MX lookup failed: ${d.mx.error.message}`);
    if (!receivesMail(a))
      return result('tls-rpt-not-applicable', 'pass', `no MX records at ${quote(d.domain)}`);
    if (d.tlsRpt.error) throw new Error(`TXT lookup of ${d.tlsRpt.name} failed: ${d.tlsRpt.error.message}`);
    const records = recordsWithVersion(d.tlsRpt.records, 'TLSRPTv1');
    if (records.length === 0) {
      const ev = `no v=TLSRPTv1 record at ${quote(d.tlsRpt.name)}`;
      return result('tls-rpt-missing', 'warn', ev, [
        { outcome: 'tls-rpt-missing', title: 'No TLS-RPT record for the domain', evidence: ev },
      ]);
    }
    const ev = `${quote(d.tlsRpt.name)}: ${records.map((r) => quote(r, 200)).join(', ')}`;
    const rua = parseTagList(records[0]!).tags.get('rua') ?? '';
    const valid = rua.split(',').some((u) => /^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u.trim()));
    if (records.length > 1 || !valid) {
      return result('tls-rpt-invalid', 'fail', ev, [
        { outcome: 'tls-rpt-invalid', title: 'The TLS-RPT record is invalid', evidence: ev },
      ]);
    }
    return result('tls-rpt-valid', 'pass', ev);
  },
};
