/**
 * gather(target, options) → Artefacts: runs every gatherer through one SSRF-guarded fetcher
 * (one connection pool per scan), the independent ones in parallel, and records per-phase
 * timings in ms. Never throws: each failure lands as `error` in its artefact (STYLE §2).
 */
import type {
  Artefacts,
  DnsArtefact,
  FetchChain,
  GatherError,
  TlsArtefact,
  TlsDetailsArtefact,
  TlsVersion,
} from '../types.ts';
import { endpointOf, normaliseUrl } from './address-policy.ts';
import { DIRECTORY_LISTING_PATHS, gatherDirectoryListings } from './directory-listing.ts';
import { createDnsClient, type DnsClient } from './dns-client.ts';
import { dnsEligible, gatherDns } from './dns.ts';
import { EXPOSED_FILE_PATHS, gatherExposedFiles } from './exposed-files.ts';
import { loadHstsPreload } from '../data/hsts-preload.ts';
import { hstsPreloadOf } from './hsts-preload.ts';
import { gatherHtml } from './html.ts';
import { DEFAULT_PAGES, startPages } from './pages.ts';
import { gatherCors, gatherHttpRedirect, gatherPage, httpTwin } from './http.ts';
import { createSafeFetcher, type SafeFetcher, type SafeFetchOptions } from './safe-fetch.ts';
import { gatherSecurityTxt } from './security-txt.ts';
import { gatherTlsDetails } from './tls-details.ts';
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
  /** The DNS client of the domain checks (tests: one asking a loopback stub). Default: asks `dnsServers`. */
  dns?: DnsClient;
  /** Recursive resolver(s) for the domain checks (`host[:port]`); default: the system's first resolver. */
  dnsServers?: string[];
  /**
   * Optional probes (everything but the page) still running this many ms after the start, once
   * the page is in, are cut: their artefact records `probe_cut` and the report lists them. Default 15 000.
   */
  probeDeadlineMs?: number;
  /** Same-origin pages to crawl besides the target (links, sitemap.xml; robots.txt honoured). Default 10; 0: none. */
  pages?: number;
  /** Where an operator's refreshed data lives (RULES_DIR): its HSTS preload list wins over the shipped one. */
  rulesDir?: string;
}

export const DEFAULT_PROBE_DEADLINE_MS = 15_000;

/** Runs `fn` and records its duration in `timings[name]` (ms). */
function timedSync<T>(timings: Record<string, number>, name: string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    timings[name] = Math.round(performance.now() - t0);
  }
}

/** Every extra request an active scan may send: exposed files, directory listings, one TRACE. */
export const ACTIVE_PROBE_LIMIT = EXPOSED_FILE_PATHS.length + DIRECTORY_LISTING_PATHS.length + 1;

/** Versions as the TLS artefact records them, from the raw probes; undefined when those failed. */
function versionsOf(d: TlsDetailsArtefact | undefined): Record<TlsVersion, boolean | null> | undefined {
  if (!d || d.error) return undefined;
  const of = (v: TlsVersion) => {
    const suites = d.suites[v];
    return suites === undefined ? null : suites.length > 0;
  };
  return { TLSv1: of('TLSv1'), 'TLSv1.1': of('TLSv1.1'), 'TLSv1.2': of('TLSv1.2'), 'TLSv1.3': of('TLSv1.3') };
}

function failedDns(host: string, server: string, error: GatherError): DnsArtefact {
  const none = (name: string, type: string) => ({ name, type, records: [], error });
  return {
    server,
    host,
    domain: host,
    address: none(host, 'A'),
    dnskey: none(host, 'DNSKEY'),
    caa: [],
    mx: none(host, 'MX'),
    txt: none(host, 'TXT'),
    dmarc: none(`_dmarc.${host}`, 'TXT'),
    mtaSts: none(`_mta-sts.${host}`, 'TXT'),
    tlsRpt: none(`_smtp._tls.${host}`, 'TXT'),
    tlsa: none(`_443._tcp.${host}`, 'TLSA'),
    error,
  };
}

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
  const {
    active,
    headers,
    headersOverHttp,
    plainHttpPort,
    fetcher: given,
    dns,
    dnsServers,
    probeDeadlineMs,
    pages: pageLimit = DEFAULT_PAGES,
    rulesDir,
    ...fetchOptions
  } = options;
  const fetcher =
    given ??
    createSafeFetcher({
      // Two connections per origin: the scan's requests are small and many; more sockets mean more handshakes.
      connectionsPerOrigin: 2,
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

  const cut: string[] = [];
  try {
    const artefacts: Artefacts = { target: url.href, page: { requestedUrl: url.href, hops: [] }, timings };
    // A blocked or unresolvable target: one page attempt records the reason (and one security event).
    const pinned = await timed('resolve', () => fetcher.pin(url.hostname, endpointOf(url).port));
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
    let stopDeadline = (): void => undefined;
    const deadlineMs = probeDeadlineMs ?? DEFAULT_PROBE_DEADLINE_MS;
    const deadline = Promise.all([
      page,
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        stopDeadline = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    ]);
    /**
     * Runs an optional probe; a failure becomes `fallback(error)`. When the page is in and the
     * deadline has passed, a probe still running is cut: `fallback(probe_cut)` is stored and the
     * late result, if any, is dropped.
     */
    const probe = <T>(
      name: string,
      run: () => Promise<T>,
      fallback: (error: GatherError) => T,
      store: (value: T) => void,
    ): Promise<void> => {
      let settled = false;
      const settle = (value: T) => {
        if (settled) return;
        settled = true;
        store(value);
      };
      const job = timed(name, run)
        .catch((e) => fallback(unexpected(name, e)))
        .then(settle);
      const cutOff = deadline.then(() => {
        if (settled) return;
        cut.push(name);
        timings[name] = Math.round(performance.now() - started);
        settle(
          fallback({
            code: 'probe_cut',
            message: `${name} was still running at the probe deadline (${deadlineMs} ms) and was cut`,
          }),
        );
      });
      return Promise.race([job, cutOff]);
    };
    const noTls = (error: GatherError): TlsArtefact => ({
      host: url.hostname,
      port: 0,
      versions: { TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': null, 'TLSv1.3': null },
      error,
    });
    const details = gatherTlsDetails(url, fetcher);
    const jobs: Promise<unknown>[] = [
      page.then((chain) => {
        artefacts.page = chain;
        const html = timedSync(timings, 'html', () => gatherHtml(chain.final));
        if (html) artefacts.html = html;
      }),
      probe(
        'tlsDetails',
        () => details,
        (error) => ({
          host: url.hostname,
          port: 0,
          suites: {},
          incomplete: [],
          untested: [],
          probes: 0,
          error,
        }),
        (d) => d && (artefacts.tlsDetails = d),
      ),
      // The raw probes already tell which versions are accepted: the TLS gatherer then makes one handshake, not five.
      probe(
        'tls',
        () => gatherTls(url, fetcher, { versions: () => details.then(versionsOf, () => undefined) }),
        noTls,
        (tls) => tls && (artefacts.tls = tls),
      ),
      probe(
        'securityTxt',
        () => gatherSecurityTxt(url, fetcher),
        (error) => ({ url: new URL('/.well-known/security.txt', url).href, error }),
        (s) => (artefacts.securityTxt = s),
      ),
      probe(
        'cors',
        () => gatherCors(url.href, fetcher),
        (error) => ({ origin: '', headers: {}, error }),
        (c) => (artefacts.cors = c),
      ),
    ];
    const dnsClient =
      dns ?? (dnsEligible(url.hostname) ? createDnsClient({ servers: dnsServers }) : undefined);
    if (dnsClient) {
      jobs.push(
        probe(
          'dns',
          () => gatherDns(url.hostname, dnsClient, fetcher),
          (error) => failedDns(url.hostname, dnsClient.server, error),
          (d) => d && (artefacts.dns = d),
        ),
      );
    }
    if (pageLimit > 0) {
      const crawl = startPages(url, fetcher, pageLimit);
      jobs.push(
        probe(
          'pages',
          async () => crawl(await page, artefacts.html),
          (error) => ({ pages: [], skipped: { robots: 0, limit: 0 }, error }),
          (p) => (artefacts.pages = p),
        ),
      );
    }
    if (twin) {
      jobs.push(
        probe(
          'httpRedirect',
          () => gatherHttpRedirect(twin, fetcher),
          (error): FetchChain => ({ requestedUrl: twin.href, hops: [], error }),
          (c) => (artefacts.httpRedirect = c),
        ),
      );
    }
    if (active) {
      jobs.push(
        probe(
          'exposedFiles',
          () => gatherExposedFiles(url.origin, fetcher),
          (error) => [{ path: '/', error }],
          (files) => (artefacts.exposedFiles = files),
        ),
        probe(
          'directoryListings',
          () => gatherDirectoryListings(url.origin, fetcher),
          (error) => [{ path: '/', error }],
          (probes) => (artefacts.directoryListings = probes),
        ),
        probe(
          'trace',
          () => gatherTrace(url.origin, fetcher),
          (error) => ({ path: '/', method: 'TRACE' as const, error }),
          (p) => (artefacts.trace = p),
        ),
      );
    }
    await Promise.all(jobs);
    stopDeadline();
    // A plain-http target is its own http:// chain.
    if (url.protocol === 'http:') artefacts.httpRedirect = artefacts.page;
    artefacts.hstsPreload = timedSync(timings, 'hstsPreload', () =>
      hstsPreloadOf(loadHstsPreload(rulesDir), url, [artefacts.page, artefacts.httpRedirect]),
    );
    if (cut.length > 0) artefacts.cut = cut;
    return artefacts;
  } finally {
    timings.total = Math.round(performance.now() - started);
    // A cut probe may still hold a request open: abort it rather than wait for it.
    if (!given) await (cut.length > 0 ? fetcher.destroy() : fetcher.close()).catch(() => undefined);
  }
}
