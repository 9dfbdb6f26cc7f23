/**
 * Which hosts of the scan the HSTS preload list covers: the target's and every host its page and
 * http:// chains passed through (Observatory's redirection test asks about each of them).
 */
import type { HstsPreloadList } from '../data/hsts-preload.ts';
import type { FetchChain, HstsPreloadArtefact } from '../types.ts';
import { dnsEligible } from './dns.ts';

export function hstsPreloadOf(
  list: HstsPreloadList,
  target: URL,
  chains: (FetchChain | undefined)[],
): HstsPreloadArtefact {
  const hosts = new Set<string>([target.hostname]);
  for (const chain of chains) {
    for (const hop of chain?.hops ?? []) {
      const host = URL.canParse(hop.url) ? new URL(hop.url).hostname : undefined;
      if (host) hosts.add(host);
    }
  }
  return {
    listDate: list.date,
    hosts: [...hosts].map((host) => {
      // IP literals and special-use names (.test, localhost…) are never on the list.
      const entry = dnsEligible(host) ? list.lookup(host) : undefined;
      return entry ? { host, entry } : { host };
    }),
  };
}
