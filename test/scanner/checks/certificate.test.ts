import { describe } from 'vitest';
import { certificate } from '../../../src/scanner/checks/certificate.ts';
import type { CertificateFacts } from '../../../src/scanner/types.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const cert = (c: Partial<CertificateFacts>) =>
  set((a) => {
    if (a.tls?.certificate) a.tls.certificate = { ...a.tls.certificate, ...c };
  });

describe('certificate', () => {
  // NOW is 2025-06-01.
  checkTable(certificate, 'certificate-valid', [
    [
      'untrusted chain',
      cert({ chainTrusted: false, chainError: 'unable to get issuer' }),
      'certificate-untrusted',
      'fail',
    ],
    ['self-signed', cert({ selfSigned: true }), 'certificate-untrusted', 'fail'],
    ['name mismatch', cert({ hostnameMatches: false }), 'certificate-hostname-mismatch', 'fail'],
    ['expired', cert({ validTo: '2025-05-31T23:59:59Z' }), 'certificate-expired', 'fail'],
    ['not yet valid', cert({ validFrom: '2025-06-02T00:00:00Z' }), 'certificate-not-yet-valid', 'fail'],
    ['expires in 30 days', cert({ validTo: '2025-07-01T00:00:00Z' }), 'certificate-expiring-soon', 'warn'],
    ['expires in 32 days', cert({ validTo: '2025-07-03T00:00:00Z' }), 'certificate-valid', 'pass'],
    ['RSA 1024', cert({ keyType: 'RSA', keyBits: 1024 }), 'certificate-weak-key', 'fail'],
    ['RSA 2048', cert({ keyType: 'RSA', keyBits: 2048 }), 'certificate-valid', 'pass'],
    ['EC 224', cert({ keyType: 'EC', keyBits: 224 }), 'certificate-weak-key', 'fail'],
    [
      'SHA-1 signature',
      cert({ signatureAlgorithm: 'sha1WithRSAEncryption' }),
      'certificate-weak-signature',
      'fail',
    ],
    [
      'SHA-256 signature',
      cert({ signatureAlgorithm: 'sha256WithRSAEncryption' }),
      'certificate-valid',
      'pass',
    ],
    [
      'expired, from a trusted CA: not "untrusted"',
      cert({ chainTrusted: false, chainError: 'CERT_HAS_EXPIRED', validTo: '2025-05-01T00:00:00Z' }),
      'certificate-expired',
      'fail',
    ],
    [
      'another name, from a trusted CA: not "untrusted"',
      cert({ chainTrusted: false, chainError: 'ERR_TLS_CERT_ALTNAME_INVALID', hostnameMatches: false }),
      'certificate-hostname-mismatch',
      'fail',
    ],
    [
      'expired and untrusted: worst first',
      cert({ chainTrusted: false, validTo: '2020-01-01T00:00:00Z' }),
      'certificate-untrusted',
      'fail',
    ],
  ]);
});
