/**
 * The crawl: besides the target page, up to `limit` more pages of the same origin, taken from
 * the target's links (document order) and then sitemap.xml (`<loc>`, RFC-less but
 * sitemaps.org 0.9), each allowed by robots.txt for our user agent (RFC 9309, robots-parser).
 * Every request goes through the same SSRF-guarded fetcher; a page whose redirects leave the
 * origin is dropped. Bodies are parsed (html.ts) and then dropped: only what the content checks
 * judge is kept.
 */
import { Parser } from 'htmlparser2';
import robotsParserModule from 'robots-parser';
import type {
  FetchChain,
  GatherError,
  HtmlArtefact,
  PageArtefact,
  PagesArtefact,
  ResponseArtefact,
} from '../types.ts';
import { gatherHtml } from './html.ts';
import type { SafeFetcher } from './safe-fetch.ts';
import { mapLimit } from '../map-limit.ts';

export const DEFAULT_PAGES = 10;
export const MAX_PAGES = 50;
const ROBOTS_AGENT = 'VIOscan';
// robots-parser is CommonJS whose typings declare an ES default export; at run time the default import is the function.
const robotsParser = robotsParserModule as unknown as (
  url: string,
  body: string,
) => {
  isDisallowed(url: string, ua?: string): boolean | undefined;
};
const MAX_ROBOTS_BYTES = 512 * 1024;
const MAX_SITEMAP_BYTES = 1024 * 1024;
const MAX_SITEMAP_URLS = 1000;
const CONCURRENCY = 4;
/** Links that are not pages: no content check applies to them. */
const NOT_A_PAGE =
  /\.(png|jpe?g|gif|webp|svg|ico|css|js|mjs|json|xml|txt|pdf|zip|gz|tar|mp[34]|webm|woff2?|ttf|eot)$/i;

type Fetched = ResponseArtefact | { error: GatherError };

async function fetchText(fetcher: SafeFetcher, url: string, maxBodyBytes: number): Promise<Fetched> {
  return fetcher.request(url, { maxBodyBytes });
}

/** `<loc>` values of a sitemap (or sitemap index: its entries are sitemaps and are not followed). */
export function sitemapUrls(xml: string): string[] {
  const urls: string[] = [];
  let inLoc = false;
  let text = '';
  let isIndex = false;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'sitemapindex') isIndex = true;
        if (name === 'loc') {
          inLoc = true;
          text = '';
        }
      },
      ontext(data) {
        if (inLoc) text += data;
      },
      onclosetag(name) {
        if (name === 'loc' && inLoc) {
          inLoc = false;
          if (urls.length < MAX_SITEMAP_URLS) urls.push(text.trim());
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return isIndex ? [] : urls;
}

function sameOrigin(url: string, origin: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.origin !== origin) return undefined;
    u.hash = '';
    return NOT_A_PAGE.test(u.pathname) ? undefined : u.href;
  } catch {
    return undefined;
  }
}

function withoutBodies(chain: FetchChain): FetchChain {
  const strip = (r: ResponseArtefact): ResponseArtefact => {
    const { body: _body, bodyTruncated: _truncated, ...rest } = r;
    return rest;
  };
  const hops = chain.hops.map(strip);
  return { ...chain, hops, ...(chain.final && { final: hops.at(-1)! }) };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_HOPS = 5;

/**
 * Follows redirects only within the origin: a page that redirects elsewhere is not this site's
 * page, and the crawl never sends a request to another origin. Undefined when the page is left
 * or never answers.
 */
async function sameOriginChain(
  fetcher: SafeFetcher,
  url: string,
  origin: string,
): Promise<FetchChain | undefined> {
  const chain: FetchChain = { requestedUrl: url, hops: [] };
  let current = url;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const res = await fetcher.request(current, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    if ('error' in res) return undefined;
    chain.hops.push(res);
    const location = res.headers.location?.[0];
    if (!REDIRECTS.has(res.status) || location === undefined) {
      chain.final = res;
      return chain;
    }
    let resolved: string;
    try {
      resolved = new URL(location, current).href;
    } catch {
      return undefined;
    }
    const next = sameOrigin(resolved, origin);
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}

/**
 * Starts fetching robots.txt and sitemap.xml at once; the returned function takes the target's
 * page chain and its parsed HTML once they are in, and fetches the chosen pages.
 */
export function startPages(
  target: URL,
  fetcher: SafeFetcher,
  limit: number,
): (home: FetchChain, homeHtml: HtmlArtefact | undefined) => Promise<PagesArtefact> {
  const robotsUrl = new URL('/robots.txt', target).href;
  const sitemapUrl = new URL('/sitemap.xml', target).href;
  const robots = fetchText(fetcher, robotsUrl, MAX_ROBOTS_BYTES);
  const sitemap = fetchText(fetcher, sitemapUrl, MAX_SITEMAP_BYTES);
  return async (home, homeHtml) => {
    const [robotsRes, sitemapRes] = await Promise.all([robots, sitemap]);
    const out: PagesArtefact = { pages: [], skipped: { robots: 0, limit: 0 } };
    out.robotsTxt =
      'error' in robotsRes
        ? { url: robotsUrl, error: robotsRes.error }
        : { url: robotsUrl, status: robotsRes.status };
    // RFC 9309 §2.3.1: an unavailable robots.txt (4xx) allows everything; an unreachable one (5xx) disallows everything.
    const robotsBody = !('error' in robotsRes) && robotsRes.status === 200 ? (robotsRes.body ?? '') : '';
    const unreachable = !('error' in robotsRes) && robotsRes.status >= 500;
    const rules = robotsParser(robotsUrl, robotsBody);
    const final = home.final;
    if (!final || unreachable) return out;
    const origin = new URL(final.url).origin;
    let sitemapLocs: string[] = [];
    if ('error' in sitemapRes) out.sitemap = { url: sitemapUrl, urls: 0, error: sitemapRes.error };
    else {
      sitemapLocs = sitemapRes.status === 200 && sitemapRes.body ? sitemapUrls(sitemapRes.body) : [];
      out.sitemap = { url: sitemapUrl, status: sitemapRes.status, urls: sitemapLocs.length };
    }
    const links = homeHtml?.links ?? [];
    const seen = new Set([
      sameOrigin(final.url, origin) ?? final.url,
      sameOrigin(target.href, origin) ?? target.href,
    ]);
    const chosen: string[] = [];
    for (const raw of [...links, ...sitemapLocs]) {
      const url = sameOrigin(raw, origin);
      if (!url || seen.has(url)) continue;
      seen.add(url);
      if (rules.isDisallowed(url, ROBOTS_AGENT)) out.skipped.robots++;
      else if (chosen.length >= limit) out.skipped.limit++;
      else chosen.push(url);
    }
    const pages = await mapLimit(chosen, CONCURRENCY, async (url): Promise<PageArtefact | undefined> => {
      const chain = await sameOriginChain(fetcher, url, origin);
      if (!chain) return undefined;
      const html = gatherHtml(chain.final);
      return { url, chain: withoutBodies(chain), ...(html && { html }) };
    });
    out.pages = pages.filter((p): p is PageArtefact => p !== undefined);
    return out;
  };
}
