import type { Check } from '../types.ts';
import { result } from './helpers.ts';

export const ocspStapling: Check = {
  id: 'ocsp-stapling',
  category: 'transport',
  title: 'The server staples an OCSP response',
  failureTitle: 'No OCSP response is stapled',
  description:
    'Asks for certificate status (status_request, RFC 6066 §8) in a TLS 1.2 ClientHello and looks for a ' +
    'CertificateStatus message. Stapling spares visitors a privacy-leaking request to the CA and lets revocation ' +
    "work when the CA's responder is slow. Mozilla's profiles recommend it; CAs that no longer run OCSP make it moot.",
  remediation:
    'Enable OCSP stapling (nginx `ssl_stapling on; ssl_stapling_verify on;`) if your CA offers OCSP.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc6066#section-8',
    'https://wiki.mozilla.org/Security/Server_Side_TLS',
  ],
  requires: ['tlsDetails'],
  outcomes: {
    'ocsp-stapling-missing': 'No stapled OCSP response.',
    'ocsp-stapling-enabled': 'An OCSP response is stapled.',
    'ocsp-stapling-untested': 'Not tested (TLS 1.3 only: the status is encrypted).',
  },
  run(a) {
    const stapled = a.tlsDetails!.ocspStapled;
    if (stapled === undefined)
      return result('ocsp-stapling-untested', 'skipped', 'TLS 1.3 only: the status would be encrypted');
    if (stapled) return result('ocsp-stapling-enabled', 'pass', 'CertificateStatus (OCSP) received');
    const ev = 'status_request sent, no CertificateStatus message in the TLS 1.2 handshake';
    return result('ocsp-stapling-missing', 'warn', ev, [
      { outcome: 'ocsp-stapling-missing', title: 'OCSP stapling is not enabled', evidence: ev },
    ]);
  },
};
