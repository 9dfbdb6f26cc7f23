/**
 * Certificate facts from a completed handshake: trust, hostname match, validity, key and
 * signature algorithm. Node 20's X509Certificate has no signatureAlgorithm, so the OID is
 * read from the DER (RFC 5280 §4.1.1.2: Certificate ::= SEQUENCE { tbs, signatureAlgorithm, sig }).
 */
import { createHash, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { CertificateFacts } from '../types.ts';

const SIGNATURE_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256r1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp256k1: 256,
};
const MAX_FIELD = 1024;

/** Reads one DER TLV header at `pos`; returns content start and length. */
function tlv(der: Buffer, pos: number): { tag: number; start: number; length: number } {
  const tag = der[pos]!;
  let len = der[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  if (start + len > der.length) throw new Error('truncated DER');
  return { tag, start, length: len };
}

function decodeOid(bytes: Buffer): string {
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export function signatureAlgorithmOf(der: Buffer): string {
  try {
    const cert = tlv(der, 0);
    const tbs = tlv(der, cert.start);
    const alg = tlv(der, tbs.start + tbs.length);
    const oid = tlv(der, alg.start);
    if (cert.tag !== 0x30 || alg.tag !== 0x30 || oid.tag !== 0x06) return 'unknown';
    const dotted = decodeOid(der.subarray(oid.start, oid.start + oid.length));
    return SIGNATURE_OIDS[dotted] ?? dotted;
  } catch {
    return 'unknown';
  }
}

const cap = (s: string) => (s.length > MAX_FIELD ? s.slice(0, MAX_FIELD) : s);
const isoDate = (s: string) => {
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
};

const digest = (alg: string, data: Buffer) => createHash(alg).update(data).digest('hex');

function fingerprints(der: Buffer, spki: Buffer): CertificateFacts['fingerprints'] {
  return {
    certSha256: digest('sha256', der),
    certSha512: digest('sha512', der),
    spkiSha256: digest('sha256', spki),
    spkiSha512: digest('sha512', spki),
  };
}

export function certificateFacts(socket: tls.TLSSocket, hostname: string): CertificateFacts | undefined {
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return undefined;
  const x509 = new X509Certificate(peer.raw);
  const key = x509.publicKey;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const keyBits =
    key.asymmetricKeyDetails?.modulusLength ??
    (curve ? CURVE_BITS[curve] : undefined) ??
    ({ ed25519: 256, ed448: 448 } as Record<string, number>)[key.asymmetricKeyType ?? ''] ??
    peer.bits ??
    0;
  const authError = socket.authorizationError;
  return {
    subject: cap(x509.subject.split('\n').join(', ')),
    issuer: cap(x509.issuer.split('\n').join(', ')),
    subjectAltNames: (x509.subjectAltName ?? '').split(', ').filter(Boolean).slice(0, 100).map(cap),
    validFrom: isoDate(x509.validFrom),
    validTo: isoDate(x509.validTo),
    chainTrusted: socket.authorized,
    ...(authError && { chainError: cap(String(authError)) }),
    hostnameMatches: tls.checkServerIdentity(hostname, peer) === undefined,
    keyType: key.asymmetricKeyType ?? 'unknown',
    keyBits,
    signatureAlgorithm: signatureAlgorithmOf(peer.raw),
    selfSigned: x509.issuer === x509.subject && x509.verify(key),
    fingerprints: fingerprints(peer.raw, key.export({ type: 'spki', format: 'der' })),
  };
}
