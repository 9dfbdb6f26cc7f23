/**
 * security.txt gatherer: GET /.well-known/security.txt on the target's origin through the
 * SSRF guard (RFC 9116 §3: the file lives there; redirects are followed and the final URL
 * recorded so the check can judge §3's same-host rule). Capped at 32 KiB.
 */
import type { SecurityTxtArtefact } from '../types.ts';
import type { SafeFetcher } from './safe-fetch.ts';

export const SECURITY_TXT_PATH = '/.well-known/security.txt';
const MAX_BYTES = 32 * 1024;

export async function gatherSecurityTxt(target: URL, fetcher: SafeFetcher): Promise<SecurityTxtArtefact> {
  const url = new URL(SECURITY_TXT_PATH, target.origin).href;
  const chain = await fetcher.fetchChain(url, { maxBodyBytes: MAX_BYTES, headers: { accept: 'text/plain' } });
  const final = chain.final;
  if (!final)
    return {
      url,
      ...(chain.hops.length > 0 && { status: chain.hops.at(-1)!.status }),
      error: chain.error ?? { code: 'fetch_failed', message: 'no response' },
    };
  const contentType = final.headers['content-type']?.[0];
  return {
    url,
    status: final.status,
    ...(contentType !== undefined && { contentType }),
    ...(final.body !== undefined && { body: final.body }),
    finalUrl: final.url,
  };
}
