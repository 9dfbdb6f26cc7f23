/**
 * Directory-listing probes (only with --active): one GET per common directory on the final
 * origin, no redirects followed, first bytes kept so the check can recognise a server-generated
 * index (Apache, nginx, IIS, lighttpd, Python's http.server). Short fixed list: a polite scan.
 */
import type { ProbeArtefact } from '../types.ts';
import { probePath } from './probe.ts';
import type { SafeFetcher } from './safe-fetch.ts';

export const DIRECTORY_LISTING_PATHS = ['/uploads/', '/images/', '/files/', '/backup/', '/static/'] as const;

const SNIPPET_BYTES = 2048;

export async function gatherDirectoryListings(
  origin: string,
  fetcher: SafeFetcher,
): Promise<ProbeArtefact[]> {
  return Promise.all(
    DIRECTORY_LISTING_PATHS.map((path) => probePath(origin, fetcher, path, { snippetBytes: SNIPPET_BYTES })),
  );
}
