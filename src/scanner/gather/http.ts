/**
 * HTTP gatherers: the page chain (GET of the target, redirects followed and re-checked hop by
 * hop), the plain-http chain (does http:// redirect to https://?) and the CORS probe (the same
 * GET with a foreign Origin, to see whether the server reflects it — Fetch standard §3.2).
 */
import type { CorsProbeArtefact, FetchChain } from '../types.ts';
import type { SafeFetcher } from './safe-fetch.ts';

export const CORS_PROBE_ORIGIN = 'https://vioscan-probe.invalid';

export function gatherPage(target: URL, fetcher: SafeFetcher): Promise<FetchChain> {
  return fetcher.fetchChain(target.href, {
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  });
}

/**
 * The http:// twin of an https:// target on the default port (or on `plainHttpPort`, which
 * tests use because loopback sites cannot bind port 80). Undefined when there is no twin.
 */
export function httpTwin(target: URL, plainHttpPort?: number): URL | undefined {
  if (target.protocol !== 'https:') return undefined;
  if (target.port !== '' && plainHttpPort === undefined) return undefined;
  const twin = new URL(target.href);
  twin.protocol = 'http:';
  twin.port = plainHttpPort === undefined ? '' : String(plainHttpPort);
  return twin;
}

export function gatherHttpRedirect(twin: URL, fetcher: SafeFetcher): Promise<FetchChain> {
  return fetcher.fetchChain(twin.href, { readBody: false });
}

export async function gatherCors(url: string, fetcher: SafeFetcher): Promise<CorsProbeArtefact> {
  const chain = await fetcher.fetchChain(url, { headers: { origin: CORS_PROBE_ORIGIN }, readBody: false });
  const last = chain.final ?? chain.hops.at(-1);
  if (!last)
    return {
      origin: CORS_PROBE_ORIGIN,
      headers: {},
      error: chain.error ?? { code: 'fetch_failed', message: 'no response' },
    };
  return {
    origin: CORS_PROBE_ORIGIN,
    status: last.status,
    headers: last.headers,
    ...(chain.error && { error: chain.error }),
  };
}
