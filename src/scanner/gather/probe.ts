/**
 * One probe request shared by the active gatherers (exposed files, directory listings, TRACE):
 * the status, the content type and the first bytes of the body as evidence. A failed request is
 * recorded in the artefact, never thrown.
 */
import type { ProbeArtefact } from '../types.ts';
import type { SafeFetcher } from './safe-fetch.ts';

export async function probePath(
  origin: string,
  fetcher: SafeFetcher,
  path: string,
  opts: { snippetBytes: number; method?: 'TRACE' },
): Promise<ProbeArtefact> {
  const { snippetBytes, method } = opts;
  const res = await fetcher.request(new URL(path, origin).href, {
    ...(method && { method }),
    maxBodyBytes: snippetBytes,
  });
  const probe = { path, ...(method && { method }) };
  if ('error' in res) return { ...probe, error: res.error };
  const contentType = res.headers['content-type']?.[0];
  return {
    ...probe,
    status: res.status,
    ...(contentType !== undefined && { contentType }),
    ...(res.body !== undefined && { snippet: res.body.slice(0, snippetBytes) }),
  };
}
