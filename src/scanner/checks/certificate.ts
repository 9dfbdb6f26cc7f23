import type { Check, FindingDraft } from '../types.ts';
import { quote, result, worst } from './helpers.ts';

/** 30 days: the warning window the product promises (and what ACME clients renew ahead of). */
const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export const certificate: Check = {
  id: 'certificate',
  category: 'transport',
  title: 'The TLS certificate is valid and strong',
  failureTitle: 'The TLS certificate has a problem',
  description:
    'Checks the certificate chain is trusted, covers the host name, is within its validity period (warning ' +
    `${EXPIRY_WARNING_DAYS} days before expiry), and uses a strong key and signature algorithm.`,
  remediation:
    'Install a certificate from a public CA that covers this host, with the full chain, an RSA ≥ 2048-bit or ' +
    'EC ≥ 256-bit key and a SHA-256+ signature; automate renewal (ACME).',
  references: [
    'https://www.rfc-editor.org/rfc/rfc5280',
    'https://www.rfc-editor.org/rfc/rfc6125',
    'https://cabforum.org/baseline-requirements/',
  ],
  requires: ['tls'],
  outcomes: {
    'certificate-untrusted': 'The chain does not verify against trusted roots (or is self-signed).',
    'certificate-hostname-mismatch': 'The certificate does not cover the host name.',
    'certificate-expired': 'The certificate has expired.',
    'certificate-not-yet-valid': 'The certificate is not valid yet.',
    'certificate-weak-key': 'The key is too small (RSA < 2048 bits, EC < 256 bits).',
    'certificate-weak-signature': 'The signature uses MD5 or SHA-1.',
    'certificate-expiring-soon': `The certificate expires within ${EXPIRY_WARNING_DAYS} days.`,
    'certificate-valid': 'Trusted, matching, in date, strong key and signature.',
  },
  run(a, context) {
    const cert = a.tls?.certificate;
    if (!cert) throw new Error('the TLS handshake produced no certificate');
    const now = (context?.now ?? new Date()).getTime();
    const found: FindingDraft[] = [];
    const add = (outcome: string, title: string, evidence: string) =>
      found.push({ outcome, title, evidence });
    // A certificate from a trusted CA that fails verification only for its dates or its name is the
    // expiry or name finding below, not an untrusted chain (Node reports a chain error first).
    const chainFine = ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'].includes(
      cert.chainError ?? '',
    );
    if ((!cert.chainTrusted && !chainFine) || cert.selfSigned) {
      add(
        'certificate-untrusted',
        cert.selfSigned ? 'The certificate is self-signed' : 'The certificate chain is not trusted',
        `issuer ${quote(cert.issuer)}${cert.chainError ? `, error ${quote(cert.chainError)}` : ''}`,
      );
    }
    if (!cert.hostnameMatches) {
      add(
        'certificate-hostname-mismatch',
        'The certificate does not match the host name',
        `host ${quote(a.tls?.host ?? '')}, names ${quote(cert.subjectAltNames.join(', ') || cert.subject)}`,
      );
    }
    const validTo = Date.parse(cert.validTo);
    const validFrom = Date.parse(cert.validFrom);
    const daysLeft = Math.floor((validTo - now) / DAY_MS);
    if (Number.isFinite(validTo) && validTo <= now) {
      add('certificate-expired', 'The certificate has expired', `valid to ${quote(cert.validTo)}`);
    } else if (Number.isFinite(validFrom) && validFrom > now) {
      add(
        'certificate-not-yet-valid',
        'The certificate is not valid yet',
        `valid from ${quote(cert.validFrom)}`,
      );
    } else if (Number.isFinite(validTo) && daysLeft <= EXPIRY_WARNING_DAYS) {
      add(
        'certificate-expiring-soon',
        `The certificate expires in ${daysLeft} days`,
        `valid to ${quote(cert.validTo)}`,
      );
    }
    const keyType = cert.keyType.toUpperCase();
    const minBits = keyType.startsWith('EC')
      ? 256
      : keyType.startsWith('RSA') || keyType === 'DSA'
        ? 2048
        : 0;
    if (cert.keyBits < minBits) {
      add('certificate-weak-key', 'The certificate key is too small', `${cert.keyType} ${cert.keyBits} bits`);
    }
    if (/md5|sha1(?!\d)|sha-1(?!\d)/i.test(cert.signatureAlgorithm)) {
      add(
        'certificate-weak-signature',
        'The certificate signature uses a broken hash',
        `signature ${quote(cert.signatureAlgorithm)}`,
      );
    }
    const order = Object.keys(certificate.outcomes);
    const bad = worst(found, order, (o) => (o === 'certificate-expiring-soon' ? 'warn' : 'fail'));
    if (bad) return bad;
    return result(
      'certificate-valid',
      'pass',
      `${cert.keyType} ${cert.keyBits} bits, ${cert.signatureAlgorithm}, expires in ${daysLeft} days`,
    );
  },
};
