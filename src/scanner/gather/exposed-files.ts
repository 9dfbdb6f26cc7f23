/**
 * Exposed-file probes (only with --active): one GET per well-known sensitive path on the
 * final origin, no redirects followed (a redirect to a login page is not an exposure), first
 * bytes kept as evidence. The list is fixed and short so a scan stays polite.
 */
import type { ExposedFileArtefact } from '../types.ts';
import { probePath } from './probe.ts';
import type { SafeFetcher } from './safe-fetch.ts';

export const EXPOSED_FILE_PATHS = [
  '/.git/HEAD',
  '/.git/config',
  '/.env',
  '/.svn/entries',
  '/.hg/store/00manifest.i',
  '/.DS_Store',
  '/server-status',
  '/server-info',
  '/phpinfo.php',
  '/info.php',
  '/wp-config.php.bak',
  '/wp-config.php~',
  '/config.php.bak',
  '/.htpasswd',
  '/backup.sql',
  '/dump.sql',
  '/backup.zip',
  '/backup.tar.gz',
  '/site.zip',
  '/www.tar.gz',
  '/.aws/credentials',
  '/.npmrc',
  '/docker-compose.yml',
  '/actuator/env',
] as const;

const SNIPPET_BYTES = 512;

export async function gatherExposedFiles(
  origin: string,
  fetcher: SafeFetcher,
): Promise<ExposedFileArtefact[]> {
  return Promise.all(
    EXPOSED_FILE_PATHS.map((path) => probePath(origin, fetcher, path, { snippetBytes: SNIPPET_BYTES })),
  );
}
