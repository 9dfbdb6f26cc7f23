/** The site's GPC support statement (/.well-known/gpc.json, GPC spec §3.4), read beside the gpc visit. */
import type { PrivateAccess } from '../gather/address-policy.ts';
import type { Resolver } from '../gather/guard.ts';
import { createSafeFetcher } from '../gather/safe-fetch.ts';
import type { GpcState } from './types.ts';

/** GET /.well-known/gpc.json with the passive scanner's fetcher (same guard, same CAs), no redirects. */
export async function wellKnownGpc(
  pageUrl: string,
  options: { allowPrivate?: PrivateAccess; resolver?: Resolver; ca?: string[] },
): Promise<GpcState['wellKnown']> {
  const fetcher = createSafeFetcher({
    ...(options.allowPrivate !== undefined && { allowPrivate: options.allowPrivate }),
    ...(options.resolver && { resolver: options.resolver }),
    ...(options.ca && { ca: options.ca }),
    maxRedirects: 0,
    maxBodyBytes: 4096,
    timeouts: { totalMs: 5000 },
  });
  try {
    const response = await fetcher.request(new URL('/.well-known/gpc.json', pageUrl).href);
    if ('error' in response) return { error: response.error.message.slice(0, 200) };
    const wellKnown: NonNullable<GpcState['wellKnown']> = { status: response.status };
    if (response.status === 200) {
      try {
        const json = JSON.parse(response.body ?? '') as { gpc?: unknown; lastUpdate?: unknown };
        if (typeof json.gpc === 'boolean') wellKnown.gpc = json.gpc;
        if (typeof json.lastUpdate === 'string') wellKnown.lastUpdate = json.lastUpdate.slice(0, 40);
      } catch {
        wellKnown.error = 'not JSON';
      }
    }
    return wellKnown;
  } finally {
    await fetcher.destroy();
  }
}
