import { mtaStsRecordErrors, parseMtaStsPolicy } from '../parse/mta-sts.ts';
import { recordsWithVersion } from '../parse/tag-value.ts';
import type { Check } from '../types.ts';
import { quote, receivesMail, result } from './helpers.ts';

export const mtaSts: Check = {
  id: 'mta-sts',
  category: 'domain',
  title: 'MTA-STS makes sending servers use verified TLS for mail to the domain',
  failureTitle: 'MTA-STS is missing or not enforced',
  description:
    'For a domain with MX records: reads the `_mta-sts` TXT record (RFC 8461 §3.1) and fetches the policy from ' +
    '`https://mta-sts.<domain>/.well-known/mta-sts.txt` (§3.2, no redirects, through the same SSRF guard). ' +
    'Without an enforced policy, a network attacker can strip STARTTLS from mail sent to the domain.',
  remediation:
    'Publish `_mta-sts.example.com. TXT "v=STSv1; id=20250101"` and serve the policy (`version: STSv1`, ' +
    '`mode: enforce`, one `mx:` line per MX, `max_age: 604800`) over HTTPS at mta-sts.example.com.',
  references: ['https://www.rfc-editor.org/rfc/rfc8461'],
  requires: ['dns'],
  outcomes: {
    'mta-sts-invalid': 'The record or the policy file is malformed, or the policy could not be fetched.',
    'mta-sts-missing': 'The domain receives mail but publishes no MTA-STS record.',
    'mta-sts-mode-none': 'The policy has mode none: MTA-STS is switched off.',
    'mta-sts-testing': 'The policy is in testing mode: failures are reported, not prevented.',
    'mta-sts-enforced': 'A valid policy in enforce mode.',
    'mta-sts-not-applicable': 'The domain has no MX records (no mail to protect).',
  },
  run(a) {
    const d = a.dns!;
    if (d.mx.error) throw new Error(`MX lookup failed: ${d.mx.error.message}`);
    if (!receivesMail(a))
      return result('mta-sts-not-applicable', 'pass', `no MX records at ${quote(d.domain)}`);
    if (d.mtaSts.error) throw new Error(`TXT lookup of ${d.mtaSts.name} failed: ${d.mtaSts.error.message}`);
    const records = recordsWithVersion(d.mtaSts.records, 'STSv1');
    if (records.length === 0) {
      const ev = `MX at ${quote(d.domain)}, no v=STSv1 record at ${quote(d.mtaSts.name)}`;
      return result('mta-sts-missing', 'warn', ev, [
        { outcome: 'mta-sts-missing', title: 'No MTA-STS policy for inbound mail', evidence: ev },
      ]);
    }
    const invalid = (why: string) => {
      const ev = `${quote(d.mtaSts.name)}: ${quote(records[0]!, 120)}; ${why}`;
      return result('mta-sts-invalid', 'fail', ev, [
        { outcome: 'mta-sts-invalid', title: 'The MTA-STS record or policy is invalid', evidence: ev },
      ]);
    };
    const recordErrors = records.length > 1 ? ['more than one record'] : mtaStsRecordErrors(records[0]!);
    if (recordErrors.length > 0) return invalid(recordErrors.join(', '));
    const policy = d.mtaStsPolicy;
    if (!policy || policy.error)
      return invalid(
        `policy ${quote(policy?.url ?? 'not fetched')}: ${policy?.error?.message ?? 'not fetched'}`,
      );
    if (policy.status !== 200) return invalid(`policy ${quote(policy.url)} answered ${policy.status}`);
    if (!/^text\/plain(\s*;|$)/i.test(policy.contentType ?? ''))
      return invalid(`policy served as ${quote(policy.contentType ?? 'no content type')}, not text/plain`);
    const parsed = parseMtaStsPolicy(policy.body ?? '');
    if (parsed.errors.length > 0) return invalid(`policy: ${parsed.errors.join(', ')}`);
    const ev = `policy ${quote(policy.url)}: mode ${parsed.mode}, mx ${parsed.mx.map((m) => quote(m, 80)).join(' ')}, max_age ${parsed.maxAge}`;
    if (parsed.mode === 'none')
      return result('mta-sts-mode-none', 'warn', ev, [
        { outcome: 'mta-sts-mode-none', title: 'MTA-STS policy mode is none', evidence: ev },
      ]);
    if (parsed.mode === 'testing')
      return result('mta-sts-testing', 'warn', ev, [
        { outcome: 'mta-sts-testing', title: 'MTA-STS policy is only in testing mode', evidence: ev },
      ]);
    return result('mta-sts-enforced', 'pass', ev);
  },
};
