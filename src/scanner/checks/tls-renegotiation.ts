import type { Check } from '../types.ts';
import { result } from './helpers.ts';

export const tlsRenegotiation: Check = {
  id: 'tls-renegotiation',
  category: 'transport',
  title: 'The server supports secure renegotiation',
  failureTitle: 'The server does not support secure renegotiation',
  description:
    'Looks for the renegotiation_info extension in the TLS 1.2 ServerHello (RFC 5746). Without it, a server ' +
    'that renegotiates is open to prefix injection. Whether the server lets clients start a renegotiation ' +
    'cannot be tested with raw probes and is listed as untested. TLS 1.3 has no renegotiation.',
  remediation:
    'Update the TLS library (every version since 2010 supports RFC 5746) or disable renegotiation.',
  references: ['https://www.rfc-editor.org/rfc/rfc5746'],
  requires: ['tlsDetails'],
  outcomes: {
    'tls-renegotiation-insecure': 'No renegotiation_info in the ServerHello.',
    'tls-renegotiation-secure': 'Secure renegotiation is supported.',
    'tls-renegotiation-not-applicable': 'TLS 1.3 only: there is no renegotiation.',
  },
  run(a) {
    const d = a.tlsDetails!;
    if (d.secureRenegotiation === undefined) {
      if ((d.suites['TLSv1.3'] ?? []).length > 0)
        return result(
          'tls-renegotiation-not-applicable',
          'pass',
          'TLS 1.3 only: renegotiation does not exist',
        );
      throw new Error('no TLS 1.2 or older handshake answered');
    }
    if (d.secureRenegotiation)
      return result('tls-renegotiation-secure', 'pass', 'renegotiation_info in the ServerHello');
    const ev = 'the ServerHello has no renegotiation_info extension';
    return result('tls-renegotiation-insecure', 'fail', ev, [
      {
        outcome: 'tls-renegotiation-insecure',
        title: 'Secure renegotiation (RFC 5746) is not supported',
        evidence: ev,
      },
    ]);
  },
};
