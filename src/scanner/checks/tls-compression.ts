import type { Check } from '../types.ts';
import { result } from './helpers.ts';

export const tlsCompression: Check = {
  id: 'tls-compression',
  category: 'transport',
  title: 'TLS compression is off',
  failureTitle: 'TLS compression is enabled (CRIME)',
  description:
    'Offers DEFLATE compression in a raw ClientHello and reads the method the server chooses. Compressing TLS ' +
    'records lets an attacker recover secrets such as session cookies (CRIME). TLS 1.3 has no compression.',
  remediation: 'Disable TLS compression (OpenSSL `SSL_OP_NO_COMPRESSION`; current servers have it off).',
  references: ['https://www.rfc-editor.org/rfc/rfc7457#section-2.6'],
  requires: ['tlsDetails'],
  outcomes: {
    'tls-compression-enabled': 'The server chose DEFLATE compression.',
    'tls-compression-disabled': 'The server chose no compression.',
  },
  run(a) {
    const c = a.tlsDetails!.compression;
    if (c === undefined) throw new Error('no TLS handshake answered the compression probe');
    if (!c) return result('tls-compression-disabled', 'pass', 'DEFLATE offered, null compression chosen');
    const ev = 'DEFLATE offered and chosen by the server';
    return result('tls-compression-enabled', 'fail', ev, [
      { outcome: 'tls-compression-enabled', title: 'TLS compression is enabled (CRIME)', evidence: ev },
    ]);
  },
};
