import type { Check } from '../types.ts';
import { quote, result } from './helpers.ts';

export const dnssec: Check = {
  id: 'dnssec',
  category: 'domain',
  title: 'DNS answers are signed and validate (DNSSEC)',
  failureTitle: 'DNS answers are not protected by DNSSEC',
  description:
    "Asks the scan's recursive resolver for the host's address with the AD bit requested (RFC 6840 §5.7) and " +
    "the zone's DNSKEY. AD set: the resolver validated the answer. SERVFAIL that turns into an answer with CD set: " +
    'the signatures are broken (bogus). No DNSKEY: the zone is unsigned. DNSKEY present but AD not set: the ' +
    'resolver in use does not validate, so the status could not be determined (run with a validating --dns-server).',
  remediation:
    'Sign the zone at your DNS provider and publish the DS record at the registrar; if the answer is bogus, ' +
    'fix the signatures or the DS record before resolvers start refusing the name.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc4033',
    'https://www.rfc-editor.org/rfc/rfc6840#section-5.7',
  ],
  requires: ['dns'],
  outcomes: {
    'dnssec-bogus': 'The validating resolver refuses the answer: signatures or the DS chain are broken.',
    'dnssec-unsigned': 'The zone publishes no DNSKEY: answers can be forged on the path.',
    'dnssec-unknown': 'The zone is signed but the resolver did not validate: status not determined.',
    'dnssec-validated': 'The resolver validated the answer (AD bit set).',
  },
  run(a) {
    const d = a.dns!;
    if (d.address.rcode === 'SERVFAIL' && d.addressUnchecked?.rcode === 'NOERROR') {
      const ev = `${quote(d.host)} A: SERVFAIL from ${d.server}, NOERROR with checking disabled`;
      return result('dnssec-bogus', 'fail', ev, [
        { outcome: 'dnssec-bogus', title: 'DNSSEC validation fails for the host (bogus)', evidence: ev },
      ]);
    }
    if (d.address.authenticated)
      return result('dnssec-validated', 'pass', `${quote(d.host)} A: AD bit set by ${d.server}`);
    if (d.dnskey.error) throw new Error(`DNSKEY lookup failed: ${d.dnskey.error.message}`);
    if (d.dnskey.records.length === 0) {
      const ev = `no DNSKEY at ${quote(d.domain)} (asked ${d.server})`;
      return result('dnssec-unsigned', 'warn', ev, [
        { outcome: 'dnssec-unsigned', title: 'The domain is not signed with DNSSEC', evidence: ev },
      ]);
    }
    return result(
      'dnssec-unknown',
      'skipped',
      `${quote(d.domain)} publishes ${d.dnskey.records.length} DNSKEY record(s) but ${d.server} did not set AD: it does not validate`,
    );
  },
};
