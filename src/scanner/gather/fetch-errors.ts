/**
 * Turns what undici, node:net and node:tls throw into a GatherError a person can read:
 * "connection refused", "timed out after 30 s", "certificate has expired" — never a stack.
 */
import type { GatherError } from '../types.ts';

/** Thrown inside the connector when the guard refuses a target; carries the user-facing error. */
export class TargetNotAllowedError extends Error {
  readonly code = 'VIOSCAN_TARGET_NOT_ALLOWED';
  constructor(readonly gatherError: GatherError) {
    super(gatherError.message);
    this.name = 'TargetNotAllowedError';
  }
}

/**
 * Certificate verification failures (OpenSSL X509_V_ERR_* as Node names them, and Node's own
 * host-name check): the server spoke TLS, but its certificate is not one a browser accepts.
 */
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Errors that mean "TLS with this host failed": a certificate problem or a broken handshake. */
const TLS_CODES = new Set([...CERTIFICATE_CODES, 'EPROTO']);

const MAX_MESSAGE = 300;

function cap(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

function causeChain(err: unknown): { code?: string; message: string; name?: string }[] {
  const out: { code?: string; message: string; name?: string }[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const e = cur as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    out.push({
      ...(typeof e.code === 'string' && { code: e.code }),
      message: typeof e.message === 'string' ? e.message : String(cur),
      ...(typeof e.name === 'string' && { name: e.name }),
    });
    cur = e.cause;
  }
  return out;
}

/** The reason, when `err` is a certificate verification failure (and not, say, a refused handshake). */
export function certificateProblem(err: unknown): string | undefined {
  const hit = causeChain(err).find((e) => e.code !== undefined && CERTIFICATE_CODES.has(e.code));
  return hit ? cap(`${hit.code}: ${hit.message}`) : undefined;
}

export function describeError(err: unknown, url: URL, totalMs: number): GatherError {
  if (err instanceof TargetNotAllowedError) return err.gatherError;
  const chain = causeChain(err);
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  for (const e of chain) {
    if (e.code === 'VIOSCAN_TARGET_NOT_ALLOWED') return { code: 'target_not_allowed', message: e.message };
    if (
      e.name === 'TimeoutError' ||
      e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
      e.code === 'UND_ERR_BODY_TIMEOUT'
    ) {
      return { code: 'timeout', message: `${where} did not answer within ${Math.round(totalMs / 1000)} s` };
    }
    if (e.code === 'UND_ERR_CONNECT_TIMEOUT' || e.code === 'ETIMEDOUT')
      return { code: 'timeout', message: `connecting to ${where} timed out` };
    if (e.code === 'ECONNREFUSED')
      return { code: 'connect_failed', message: `connection to ${where} refused` };
    if (e.code === 'ECONNRESET' || e.code === 'UND_ERR_SOCKET')
      return { code: 'connect_failed', message: `${where} closed the connection` };
    if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH')
      return { code: 'connect_failed', message: `${where} is unreachable` };
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
      return { code: 'dns_failed', message: `could not resolve ${url.hostname}` };
    if (e.code === 'UND_ERR_HEADERS_OVERFLOW')
      return { code: 'http_error', message: `${where} sent response headers larger than 64 KiB` };
    if (e.code && (TLS_CODES.has(e.code) || e.code.startsWith('ERR_SSL_') || e.code.startsWith('ERR_TLS_'))) {
      return { code: 'tls_failed', message: cap(`TLS with ${where} failed: ${e.message}`) };
    }
    if (e.name === 'AbortError') return { code: 'timeout', message: `request to ${where} was aborted` };
  }
  const first = chain[0];
  return {
    code: 'fetch_failed',
    message: cap(`request to ${where} failed: ${first?.code ?? first?.message ?? 'unknown error'}`),
  };
}
