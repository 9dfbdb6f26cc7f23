/**
 * Facebook pixel events and Google Analytics / Ads hits, read from the request's parsed parameters
 * (query, form or multipart body, GA4's one-event-per-line batches) on the vendors' documented
 * endpoints — not from substrings of the URL: `ev` and the advanced-matching `ud[…]` keys of
 * facebook.com/tr; GA4 `en` (v=2, G- tag) and Universal Analytics `t` (v=1, UA- tag) on /collect;
 * Ads conversion and remarketing paths under /pagead/. Remarketing: the GA advertising endpoint
 * stats.g.doubleclick.net, Ads remarketing paths, or `npa=0` (ads personalisation allowed).
 */
import type { Classifier } from '../classify.ts';
import type { PixelEvent, RawRequest } from '../types.ts';
import { excerpt } from './scripts.ts';

const MAX_EVENTS = 200;

const within = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** Parameter sets of a request: the query, then each line of a form body, or the fields of a multipart body. */
function parameterSets(url: URL, body: string | undefined): URLSearchParams[] {
  const sets = [url.searchParams];
  if (!body) return sets;
  if (/content-disposition:\s*form-data/i.test(body)) {
    const fields = new URLSearchParams();
    for (const part of body.matchAll(
      /name="([^"\r\n]{1,100})"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([^\r\n]*)/gi,
    )) {
      fields.append(part[1]!, part[2]!);
    }
    return [...sets, fields];
  }
  for (const line of body.split(/\r?\n/).slice(0, 100))
    if (line.includes('=')) sets.push(new URLSearchParams(line));
  return sets;
}

const first = (sets: URLSearchParams[], name: string) =>
  sets.map((s) => s.get(name)).find((v) => v !== null) ?? undefined;

function facebook(url: URL, sets: URLSearchParams[]): Omit<PixelEvent, 'url'>[] {
  if (!within(url.hostname, 'facebook.com') || !/^\/tr\/?$/.test(url.pathname)) return [];
  const event = first(sets, 'ev');
  if (!event) return [];
  const keys = new Set<string>();
  for (const set of sets)
    for (const key of set.keys()) if (/^(ud|udff)\[[a-z_]{1,30}\]$/.test(key)) keys.add(key);
  return [
    {
      vendor: 'facebook',
      event: excerpt(event, 80),
      ...(keys.size ? { advancedMatching: [...keys].sort() } : {}),
    },
  ];
}

function googleAnalytics(url: URL, sets: URLSearchParams[]): Omit<PixelEvent, 'url'>[] {
  const host = url.hostname;
  const gaHost = within(host, 'google-analytics.com') || within(host, 'analytics.google.com');
  const advertising = host === 'stats.g.doubleclick.net';
  const tid = first(sets, 'tid') ?? '';
  const version = first(sets, 'v');
  const remarketing = advertising || sets.some((s) => s.get('npa') === '0');
  const withFlag = (event: string): Omit<PixelEvent, 'url'> => ({
    vendor: 'google-analytics',
    event: excerpt(event, 80),
    ...(remarketing ? { remarketing } : {}),
  });
  // GA4: also on a first-party server-side tagging host, recognised by its protocol (v=2, a G- tag).
  if (url.pathname.endsWith('/g/collect') && version === '2' && /^G-[A-Z0-9]{4,20}$/i.test(tid)) {
    const lines = sets
      .slice(1)
      .map((s) => s.get('en'))
      .filter((en): en is string => Boolean(en));
    const events = lines.length ? lines : [url.searchParams.get('en') ?? 'hit'];
    return events.map(withFlag);
  }
  if (
    (gaHost || advertising) &&
    /^\/(j\/|r\/)?collect$/.test(url.pathname) &&
    version === '1' &&
    /^UA-\d+-\d+$/i.test(tid)
  ) {
    return [withFlag(first(sets, 't') ?? 'hit')];
  }
  return [];
}

function googleAds(url: URL, sets: URLSearchParams[]): Omit<PixelEvent, 'url'>[] {
  const host = url.hostname;
  const path = url.pathname;
  let kind: 'remarketing' | 'conversion' | undefined;
  if (host === 'googleads.g.doubleclick.net' && path.startsWith('/pagead/viewthroughconversion/'))
    kind = 'remarketing';
  else if (/^www\.google\.[a-z.]{2,10}$/.test(host) && path.startsWith('/pagead/1p-user-list/'))
    kind = 'remarketing';
  else if (/^www\.google\.[a-z.]{2,10}$/.test(host) && path.startsWith('/pagead/1p-conversion/'))
    kind = 'conversion';
  else if (within(host, 'googleadservices.com') && path.startsWith('/pagead/conversion/'))
    kind = 'conversion';
  if (!kind) return [];
  const data = new Map(
    (first(sets, 'data') ?? '')
      .split(';')
      .map((pair) => pair.split('=') as [string, string?])
      .filter(([k, v]) => k && v !== undefined) as [string, string][],
  );
  const event = first(sets, 'en') ?? data.get('event') ?? kind;
  const remarketing = kind === 'remarketing' || sets.some((s) => s.get('npa') === '0');
  return [{ vendor: 'google-ads', event: excerpt(event, 80), ...(remarketing ? { remarketing } : {}) }];
}

export function detectPixels(
  requests: readonly RawRequest[],
  classifier: Classifier,
  pageUrl: string,
): PixelEvent[] {
  const found: PixelEvent[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
    const sets = parameterSets(url, request.postData);
    for (const event of [...facebook(url, sets), ...googleAnalytics(url, sets), ...googleAds(url, sets)]) {
      const key = `${event.vendor}\u0000${event.event}\u0000${request.url}`;
      if (seen.has(key) || found.length >= MAX_EVENTS) continue;
      seen.add(key);
      found.push({
        ...event,
        url: excerpt(request.url, 500),
        ...(request.initiator ? { initiator: request.initiator } : {}),
        party: classifier.classify(request.url, { pageUrl }).party,
      });
    }
  }
  return found;
}
