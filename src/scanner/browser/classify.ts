/**
 * Classifies requests and cookies: first/third party by registrable domain (tldts), tracker-list
 * matches (EasyPrivacy, EasyList; @ghostery/adblocker parsing the committed snapshot offline) and
 * the owner from VIOscan's curated map.
 *
 * CONTRACT STUB — party only; the classification work adds lists and owners.
 */
import { getDomain } from 'tldts';
import type { RequestClassification } from './types.ts';

export interface Classifier {
  classify(
    url: string,
    context: { pageUrl: string; type?: string; frameUrl?: string },
  ): RequestClassification;
  /** Cookies are classified by their domain against the page. */
  classifyCookieDomain(domain: string, pageUrl: string): RequestClassification;
}

function registrable(host: string): string {
  const bare = host
    .replace(/^\[|\]$/g, '')
    .replace(/^\./, '')
    .toLowerCase();
  return getDomain(bare, { allowPrivateDomains: true }) ?? bare;
}

export async function createClassifier(): Promise<Classifier> {
  const party = (domain: string, pageUrl: string) =>
    domain === registrable(new URL(pageUrl).hostname) ? ('first' as const) : ('third' as const);
  return {
    classify(url, { pageUrl }) {
      const domain = registrable(new URL(url).hostname);
      return { domain, party: party(domain, pageUrl) };
    },
    classifyCookieDomain(cookieDomain, pageUrl) {
      const domain = registrable(cookieDomain);
      return { domain, party: party(domain, pageUrl) };
    },
  };
}
