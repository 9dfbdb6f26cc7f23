/**
 * What the MDN HTTP Observatory's tests see of a scan: its HTTP client (axios over Node's http)
 * joins repeated headers, reads `<meta>` tags only from pages served as HTML, and marks a whole
 * redirect chain unverified when one certificate on it failed. The classifiers in
 * observatory-*.ts read our artefacts through these helpers so that they judge the same input.
 */
import { finalResponse, headerValues } from '../checks/helpers.ts';
import type { Artefacts, FetchChain, Headers } from '../types.ts';

/**
 * Node's http parser keeps only the first of a repeated header of these (IncomingMessage.headers),
 * keeps Set-Cookie as a list and joins every other repeated header with ", ".
 */
const FIRST_ONLY = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/** One header as Observatory's client presents it; undefined when absent. */
export function clientHeader(headers: Headers | undefined, name: string): string | undefined {
  const values = headerValues(headers, name);
  if (values.length === 0) return undefined;
  return FIRST_ONLY.has(name) ? values[0] : values.join(', ');
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/** Observatory treats a page as HTML only for these exact media types (no sniffing, case-sensitive). */
export function servedAsHtml(a: Artefacts): boolean {
  const type = clientHeader(finalResponse(a)?.headers, 'content-type') ?? '';
  return HTML_TYPES.has(type.split(';')[0] ?? '');
}

/** `<meta http-equiv="Content-Security-Policy">` policies, read only from pages served as HTML. */
export function metaPolicies(a: Artefacts): string[] {
  return servedAsHtml(a) && a.html && !a.html.error ? a.html.metaCsp : [];
}

/** The last non-empty `<meta name="referrer">` of a page served as HTML (Observatory keeps only the last). */
export function metaReferrer(a: Artefacts): string | undefined {
  if (!servedAsHtml(a) || !a.html || a.html.error) return undefined;
  return (a.html.metaReferrer ?? []).filter((v) => v !== '').at(-1);
}

/** False when any response of the chain came over a connection whose certificate failed verification. */
export function chainVerified(chain: FetchChain): boolean {
  return chain.hops.every((hop) => hop.unverifiedTls === undefined);
}

/** The protocol of the URL the scan started from (Observatory's "session" URL). */
export function startedOverHttps(a: Artefacts): boolean {
  return a.page.requestedUrl.startsWith('https:');
}
