/**
 * gather(target, options) → Artefacts: runs every gatherer through one SSRF-guarded fetcher
 * (one connection pool per scan), the independent ones in parallel, and records per-phase
 * timings in ms. Never throws: each failure lands as `error` in its artefact (STYLE §2).
 */
import type { Artefacts, FetchChain, GatherError, TlsArtefact } from '../types.ts';
import { normaliseUrl } from './address-policy.ts';
import { DIRECTORY_LISTING_PATHS, gatherDirectoryListings } from './directory-listing.ts';
import { EXPOSED_FILE_PATHS, gatherExposedFiles } from './exposed-files.ts';
import { gatherHtml } from './html.ts';
import { gatherCors, gatherHttpRedirect, gatherPage, httpTwin } from './http.ts';
import { createSafeFetcher, type SafeFetcher, type SafeFetchOptions } from './safe-fetch.ts';
import { gatherSecurityTxt } from './security-txt.ts';
import { gatherTls } from './tls.ts';
import { gatherTrace } from './trace.ts';

export interface GatherOptions extends Omit<SafeFetchOptions, 'extraHeaders'> {
  /**
   * Also run the active probes (--active; verified sites in the service): exposed sensitive
   * files, directory listings, TRACE — at most ACTIVE_PROBE_LIMIT extra requests, all through
   * the same SSRF-guarded fetcher, none following redirects.
   */
  active?: boolean;
  /** Extra request headers (--header): sent to the target host only, never recorded. */
  headers?: Record<string, string>;
  /** Send `headers` over plain http too (--force-header-over-http). */
  headersOverHttp?: boolean;
  /** Port of the http:// twin of an https:// target (tests; default: 80 for default-port targets only). */
  plainHttpPort?: number;
  /** Reuse a fetcher (and its pool) instead of creating one; the caller then closes it. */
  fetcher?: SafeFetcher;
}

/** Every extra request an active scan may send: exposed files, directory listings, one TRACE. */
export const ACTIVE_PROBE_LIMIT = EXPOSED_FILE_PATHS.length + DIRECTORY_LISTING_PATHS.length + 1;

function unexpected(name: string, error: unknown): GatherError {
  return {
    code: 'gatherer_failed',
    message: `${name} gatherer failed unexpectedly: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
  };
}

export async function gather(target: string, options: GatherOptions = {}): Promise<Artefacts> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const parsed = normaliseUrl(target);
  if (!parsed.ok) {
    const error =
      parsed.code === 'invalid_url'
        ? { code: 'invalid_url', message: parsed.message }
        : { code: 'target_not_allowed', message: `target not allowed: ${parsed.message}` };
    options.onSecurityEvent?.({
      type: 'ssrf.blocked',
      url: target.slice(0, 200),
      host: '',
      reason: error.message,
    });
    return { target, page: { requestedUrl: target, hops: [], error }, timings: { total: 0 } };
  }
  const url = parsed.url;
  const { active, headers, headersOverHttp, plainHttpPort, fetcher: given, ...fetchOptions } = options;
  const fetcher =
    given ??
    createSafeFetcher({
      // A bad certificate is a finding (checks/certificate.ts), not the end of the scan.
      untrustedCertificates: 'continue',
      ...fetchOptions,
      ...(headers &&
        Object.keys(headers).length > 0 && {
          extraHeaders: { headers, host: url.hostname, allowHttp: headersOverHttp ?? false },
        }),
    });

  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round(performance.now() - t0);
    }
  };

  try {
    const artefacts: Artefacts = { target: url.href, page: { requestedUrl: url.href, hops: [] }, timings };
    // A blocked or unresolvable target: one page attempt records the reason (and one security event).
    const pinned = await timed('resolve', () => fetcher.pin(url.hostname));
    if (!pinned.ok) {
      artefacts.page = await timed('page', () => gatherPage(url, fetcher));
      return artefacts;
    }
    const twin = httpTwin(url, plainHttpPort);
    const page = timed('page', () => gatherPage(url, fetcher)).catch((e): FetchChain => ({
      requestedUrl: url.href,
      hops: [],
      error: unexpected('page', e),
    }));
    const jobs: Promise<unknown>[] = [
      page.then((chain) => {
        artefacts.page = chain;
        const t0 = performance.now();
        const html = gatherHtml(chain.final);
        timings.html = Math.round(performance.now() - t0);
        if (html) artefacts.html = html;
      }),
      timed('tls', () => gatherTls(url, fetcher))
        .catch((e): TlsArtefact => ({
          host: url.hostname,
          port: 0,
          versions: { TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': null, 'TLSv1.3': null },
          error: unexpected('tls', e),
        }))
        .then((tls) => tls && (artefacts.tls = tls)),
      timed('securityTxt', () => gatherSecurityTxt(url, fetcher))
        .catch((e) => ({
          url: new URL('/.well-known/security.txt', url).href,
          error: unexpected('security.txt', e),
        }))
        .then((s) => (artefacts.securityTxt = s)),
      timed('cors', () => gatherCors(url.href, fetcher))
        .catch((e) => ({ origin: '', headers: {}, error: unexpected('cors', e) }))
        .then((c) => (artefacts.cors = c)),
    ];
    if (twin) {
      jobs.push(
        timed('httpRedirect', () => gatherHttpRedirect(twin, fetcher))
          .catch((e): FetchChain => ({
            requestedUrl: twin.href,
            hops: [],
            error: unexpected('http redirect', e),
          }))
          .then((c) => (artefacts.httpRedirect = c)),
      );
    }
    if (active) {
      jobs.push(
        timed('exposedFiles', () => gatherExposedFiles(url.origin, fetcher))
          .catch((e) => [{ path: '/', error: unexpected('exposed files', e) }])
          .then((files) => (artefacts.exposedFiles = files)),
        timed('directoryListings', () => gatherDirectoryListings(url.origin, fetcher))
          .catch((e) => [{ path: '/', error: unexpected('directory listings', e) }])
          .then((probes) => (artefacts.directoryListings = probes)),
        timed('trace', () => gatherTrace(url.origin, fetcher))
          .catch((e) => ({ path: '/', method: 'TRACE' as const, error: unexpected('trace', e) }))
          .then((probe) => (artefacts.trace = probe)),
      );
    }
    await Promise.all(jobs);
    // A plain-http target is its own http:// chain.
    if (url.protocol === 'http:') artefacts.httpRedirect = artefacts.page;
    return artefacts;
  } finally {
    timings.total = Math.round(performance.now() - started);
    if (!given) await fetcher.close().catch(() => undefined);
  }
}
