import { isSpf, parseSpf } from '../parse/spf.ts';
import type { Check } from '../types.ts';
import { quote, receivesMail, result } from './helpers.ts';

/** RFC 7208 §4.6.4: more than 10 DNS-querying terms is a permanent error. */
const MAX_LOOKUPS = 10;

export const spf: Check = {
  id: 'spf',
  category: 'domain',
  title: 'SPF says which servers may send mail for the domain',
  failureTitle: 'SPF is missing or lets anyone send mail as the domain',
  description:
    'Reads the `v=spf1` TXT record of the registrable domain (RFC 7208). One record must exist and end in ' +
    '`-all` or `~all`; `+all` authorises every server, `?all` or no `all` decides nothing. A domain that sends ' +
    'no mail should publish `v=spf1 -all`. Included records are not followed (their lookups are not counted).',
  remediation:
    'Publish one TXT record such as `v=spf1 include:_spf.your-mail-provider.example -all` at the domain, ' +
    'or `v=spf1 -all` if the domain sends no mail.',
  references: ['https://www.rfc-editor.org/rfc/rfc7208', 'https://internet.nl/faqs/'],
  requires: ['dns'],
  outcomes: {
    'spf-pass-all': '`+all` (or a bare `all`) authorises every server on the internet.',
    'spf-multiple': 'More than one SPF record: receivers treat this as a permanent error.',
    'spf-invalid': 'The record has unknown terms or more than 10 lookups in itself (permanent error).',
    'spf-missing': 'No SPF record.',
    'spf-neutral': '`?all` or no `all`: the record decides nothing for other servers.',
    'spf-softfail': '`~all`: other servers are marked suspicious rather than refused.',
    'spf-strict': '`-all`: other servers are refused.',
  },
  run(a) {
    const txt = a.dns!.txt;
    if (txt.error) throw new Error(`TXT lookup of ${txt.name} failed: ${txt.error.message}`);
    const records = txt.records.filter(isSpf);
    const where = `SPF at ${quote(txt.name)}`;
    if (records.length === 0) {
      const ev = `no v=spf1 record at ${quote(txt.name)}${receivesMail(a) ? ' (the domain has MX records)' : ''}`;
      return result('spf-missing', 'fail', ev, [
        { outcome: 'spf-missing', title: 'No SPF record for the domain', evidence: ev },
      ]);
    }
    if (records.length > 1) {
      const ev = `${where}: ${records.map((r) => quote(r, 120)).join(', ')}`;
      return result('spf-multiple', 'fail', ev, [
        { outcome: 'spf-multiple', title: `${records.length} SPF records: a permanent error`, evidence: ev },
      ]);
    }
    const record = records[0]!;
    const parsed = parseSpf(record);
    const ev = `${where}: ${quote(record, 300)}`;
    if (parsed.all === '+') {
      return result('spf-pass-all', 'fail', ev, [
        { outcome: 'spf-pass-all', title: 'SPF authorises every server (+all)', evidence: ev },
      ]);
    }
    if (parsed.errors.length > 0 || parsed.lookups > MAX_LOOKUPS) {
      const why = [...parsed.errors, ...(parsed.lookups > MAX_LOOKUPS ? [`${parsed.lookups} lookups`] : [])];
      return result('spf-invalid', 'fail', `${ev} (${why.join(', ')})`, [
        { outcome: 'spf-invalid', title: 'The SPF record is invalid', evidence: `${ev} (${why.join(', ')})` },
      ]);
    }
    if (parsed.all === '-') return result('spf-strict', 'pass', ev);
    if (parsed.all === '~') return result('spf-softfail', 'pass', ev);
    if (parsed.modifiers.has('redirect'))
      return result('spf-softfail', 'pass', `${ev} (policy delegated by redirect=, not followed)`);
    return result('spf-neutral', 'warn', ev, [
      { outcome: 'spf-neutral', title: 'SPF does not refuse other servers (?all or no all)', evidence: ev },
    ]);
  },
};
