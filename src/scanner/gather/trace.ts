/**
 * The TRACE probe (only with --active): one `TRACE /` to the final origin (RFC 9110 §9.3.8). A
 * server that allows it echoes the request, headers included, in a `message/http` body; that
 * echo is what cross-site tracing abused to read HttpOnly cookies and auth headers.
 */
import type { ProbeArtefact } from '../types.ts';
import type { SafeFetcher } from './safe-fetch.ts';

const SNIPPET_BYTES = 512;

export async function gatherTrace(origin: string, fetcher: SafeFetcher): Promise<ProbeArtefact> {
  const res = await fetcher.request(new URL('/', origin).href, {
    method: 'TRACE',
    maxBodyBytes: SNIPPET_BYTES,
  });
  if ('error' in res) return { path: '/', method: 'TRACE', error: res.error };
  const contentType = res.headers['content-type']?.[0];
  return {
    path: '/',
    method: 'TRACE',
    status: res.status,
    ...(contentType !== undefined && { contentType }),
    ...(res.body !== undefined && { snippet: res.body.slice(0, SNIPPET_BYTES) }),
  };
}
