/**
 * The TRACE probe (only with --active): one `TRACE /` to the final origin (RFC 9110 §9.3.8). A
 * server that allows it echoes the request, headers included, in a `message/http` body; that
 * echo is what cross-site tracing abused to read HttpOnly cookies and auth headers.
 */
import type { ProbeArtefact } from '../types.ts';
import { probePath } from './probe.ts';
import type { SafeFetcher } from './safe-fetch.ts';

const SNIPPET_BYTES = 512;

export function gatherTrace(origin: string, fetcher: SafeFetcher): Promise<ProbeArtefact> {
  return probePath(origin, fetcher, '/', { snippetBytes: SNIPPET_BYTES, method: 'TRACE' });
}
