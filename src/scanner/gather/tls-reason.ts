/**
 * What OpenSSL and node:tls say when a handshake fails, in words a site owner reads: "the
 * certificate has expired", "the server does not speak TLS on this port". OpenSSL's own strings
 * ("error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…") never
 * leave the scanner; an unknown reason keeps only OpenSSL's short reason phrase.
 */

const BY_CODE: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed certificate no browser trusts',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the certificate chain is incomplete (an intermediate certificate is missing)',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate chain is incomplete (an intermediate certificate is missing)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is not issued by a trusted authority',
  CERT_REVOKED: 'the certificate has been revoked',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not valid for this host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port (it may be plain HTTP)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server does not speak TLS on this port (it may be plain HTTP)',
  ERR_SSL_HTTP_REQUEST: 'the server expected plain HTTP on this port',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the server only offers an outdated TLS version',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the server and VIOscan share no TLS version',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the server refused the handshake (no common cipher or TLS version)',
  ERR_SSL_TLSV1_UNRECOGNIZED_NAME: 'the server does not know this host name (SNI)',
  ERR_SSL_DH_KEY_TOO_SMALL: 'the server uses a Diffie-Hellman key that is too small',
};

/** OpenSSL reason phrases (the part after "SSL routines:…:"), for errors that carry no usable code. */
const BY_REASON: Record<string, string> = {
  'wrong version number': BY_CODE.ERR_SSL_WRONG_VERSION_NUMBER!,
  'packet length too long': BY_CODE.ERR_SSL_PACKET_LENGTH_TOO_LONG!,
  'http request': BY_CODE.ERR_SSL_HTTP_REQUEST!,
  'unsupported protocol': BY_CODE.ERR_SSL_UNSUPPORTED_PROTOCOL!,
  'tlsv1 alert protocol version': BY_CODE.ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION!,
  'sslv3 alert handshake failure': BY_CODE.ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE!,
  'tlsv1 unrecognized name': BY_CODE.ERR_SSL_TLSV1_UNRECOGNIZED_NAME!,
  'dh key too small': BY_CODE.ERR_SSL_DH_KEY_TOO_SMALL!,
  'unexpected eof while reading': 'the server closed the connection during the handshake',
  'certificate verify failed': 'the certificate could not be verified',
};

/** `error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…` → `wrong version number`. */
const OPENSSL_REASON = /error:[0-9A-Fa-f]+:[^:]*routines:[^:]*:([^:]+)/;

/** A plain-language reason for a failed TLS handshake; never OpenSSL's raw error string. */
export function tlsReason(error: { code?: string | undefined; message?: string | undefined }): string {
  const byCode = error.code ? BY_CODE[error.code] : undefined;
  if (byCode) return byCode;
  const message = error.message ?? '';
  const phrase = OPENSSL_REASON.exec(message)?.[1]?.trim().toLowerCase();
  if (phrase) return BY_REASON[phrase] ?? `the TLS handshake failed (${phrase.slice(0, 80)})`;
  if (/socket disconnected|ECONNRESET/i.test(message))
    return 'the server closed the connection during the handshake';
  // node:tls's own messages are already words (e.g. "Hostname/IP does not match certificate's altnames").
  if (message && !/error:[0-9A-Fa-f]{6,}/.test(message)) return message.split('\n')[0]!.slice(0, 200);
  return 'the TLS handshake failed';
}
