import type { Check } from '../types.ts';
import { quote, result } from './helpers.ts';

export const certificateChain: Check = {
  id: 'certificate-chain',
  category: 'transport',
  title: 'The server sends a complete certificate chain in order',
  failureTitle: 'The certificate chain is incomplete or out of order',
  description:
    'Reads the chain exactly as the server sends it in a TLS 1.2 handshake (TLS 1.3 encrypts it) and checks ' +
    'that each certificate is issued by the next one and that the last one is a root or is issued by a trusted ' +
    'root. A missing intermediate works in browsers that cache or fetch it and fails in others (apps, curl, ' +
    'older phones).',
  remediation:
    'Serve the full chain: the leaf first, then each intermediate in order (e.g. nginx `ssl_certificate` pointing ' +
    'at fullchain.pem, not cert.pem).',
  references: [
    'https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2',
    'https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2',
  ],
  requires: ['tlsDetails'],
  outcomes: {
    'certificate-chain-incomplete': 'An intermediate certificate is missing.',
    'certificate-chain-misordered': 'The certificates are not each followed by their issuer.',
    'certificate-chain-complete': 'The chain is complete and in order.',
    'certificate-chain-untested': 'The chain could not be read (TLS 1.3 only).',
  },
  run(a) {
    const d = a.tlsDetails!;
    if (!d.chain)
      return result(
        'certificate-chain-untested',
        'skipped',
        'the chain is only visible below TLS 1.3, which the server does not offer',
      );
    const ev = d.chain
      .map((c, i) => `#${i} ${quote(c.subject, 100)} issued by ${quote(c.issuer, 100)}`)
      .join('; ');
    if (!d.chainOrdered)
      return result('certificate-chain-misordered', 'warn', ev, [
        {
          outcome: 'certificate-chain-misordered',
          title: 'The certificate chain is out of order',
          evidence: ev,
        },
      ]);
    if (!d.chainComplete)
      return result('certificate-chain-incomplete', 'fail', ev, [
        {
          outcome: 'certificate-chain-incomplete',
          title: 'The certificate chain is missing an intermediate',
          evidence: ev,
        },
      ]);
    return result('certificate-chain-complete', 'pass', ev);
  },
};
