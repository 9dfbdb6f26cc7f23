/**
 * Classifies requests and cookies: first/third party by registrable domain (tldts), tracker-list
 * matches (EasyPrivacy first, then EasyList; @ghostery/adblocker parsing the lists offline) and the
 * owner from VIOscan's curated map. Built once per process and rule set; the parsed engines are
 * cached on disk when a cache folder is given (bench/classifier.ts measures the three paths).
 */
import { readFileSync } from 'node:fs';
import { getDomain } from 'tldts';
import type { ClassifierOptions } from './classifier-options.ts';
import { ownerLookup, ownerMapSchema, type OwnerLookup } from './owners.ts';
import { operatorStamp, ruleInfo, ruleSources, type RuleSource } from './rule-sources.ts';
import { loadEngine, type ListMatcher } from './tracker-engine.ts';
import type { Party, RequestClassification, TrackerListInfo } from './types.ts';

export { classifierOptionsFor, type ClassifierOptions } from './classifier-options.ts';

export interface Classifier {
  classify(
    url: string,
    context: { pageUrl: string; type?: string; frameUrl?: string; frame?: 'main' | 'sub' },
  ): RequestClassification;
  /** Cookies are classified by their domain against the page. */
  classifyCookieDomain(domain: string, pageUrl: string): RequestClassification;
  /** The lists in use with their dates, for BrowserArtefact.lists and the report. */
  readonly lists: TrackerListInfo[];
}

/**
 * allowPrivateDomains: the Public Suffix List's private section (github.io, s3.amazonaws.com,
 * cloudfront.net…) separates independent owners, and Chromium uses the whole list to decide what a
 * "site" is for cookies and partitioning. So alice.github.io and bob.github.io are third parties to
 * each other here, as they are to the browser. IP literals and single labels stay as they are.
 */
export function registrableDomain(host: string): string {
  const bare = host
    .replace(/^\[|\]$/g, '')
    .replace(/^\./, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return getDomain(bare, { allowPrivateDomains: true }) ?? bare;
}

/**
 * Filter-list request types from a CDP resource type: the engine's type-restricted filters only
 * match lower-case names, and a frame's Document is `sub_frame` ($subdocument); `document` alone
 * would mean the top-level page.
 */
export function filterRequestType(cdpType: string, frame: 'main' | 'sub' = 'main'): string {
  const type = cdpType.toLowerCase();
  if (type === 'document') return frame === 'sub' ? 'sub_frame' : 'main_frame';
  if (type === 'cspviolationreport') return 'csp_report';
  return type;
}

/** blob: URLs belong to their creator's origin; data:, about: and javascript: never leave the page. */
function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'blob:') return hostOf(url.slice('blob:'.length));
    return parsed.hostname || undefined;
  } catch {
    return undefined;
  }
}

function build(sources: Record<RuleSource['id'], RuleSource>, cacheDir?: string): Classifier {
  const lists: [list: 'easyprivacy' | 'easylist', ListMatcher][] = (['easyprivacy', 'easylist'] as const).map(
    (id) => [id, loadEngine(readFileSync(sources[id].path, 'utf8'), cacheDir).matcher],
  );
  const owners: OwnerLookup = ownerLookup(
    ownerMapSchema.parse(JSON.parse(readFileSync(sources.owners.path, 'utf8'))),
  );

  const partyOf = (domain: string, pageUrl: string): Party => {
    const pageHost = hostOf(pageUrl);
    return pageHost !== undefined && domain === registrableDomain(pageHost) ? 'first' : 'third';
  };
  const withOwner = (host: string, base: RequestClassification): RequestClassification => {
    const owner = owners.ownerOf(host);
    return owner ? { ...base, owner } : base;
  };

  return {
    lists: Object.values(sources).map(ruleInfo),
    classify(url, { pageUrl, type = 'other', frameUrl, frame = 'main' }) {
      const host = hostOf(url);
      if (host === undefined) {
        return { domain: registrableDomain(hostOf(pageUrl) ?? ''), party: 'first' };
      }
      const domain = registrableDomain(host);
      const base: RequestClassification = { domain, party: partyOf(domain, pageUrl) };
      const request = { url, type: filterRequestType(type, frame), sourceUrl: frameUrl ?? pageUrl };
      for (const [list, matcher] of lists) {
        const filter = matcher.match(request);
        if (filter !== undefined) return withOwner(host, { ...base, tracker: { list, filter } });
      }
      return withOwner(host, base);
    },
    classifyCookieDomain(cookieDomain, pageUrl) {
      const host = cookieDomain.replace(/^\./, '');
      const domain = registrableDomain(host);
      return withOwner(host, { domain, party: partyOf(domain, pageUrl) });
    },
  };
}

const built = new Map<string, { stamp: string; classifier: Classifier }>();

/**
 * One classifier per process and rule set: a `vioscan rules update` in another process changes the
 * operator files' stamp, so the next scan builds afresh with the new lists.
 */
export async function createClassifier(options: ClassifierOptions = {}): Promise<Classifier> {
  const key = `${options.rulesDir ?? ''}\0${options.cacheDir ?? ''}`;
  const stamp = operatorStamp(options.rulesDir);
  const known = built.get(key);
  if (known?.stamp === stamp) return known.classifier;
  const classifier = build(ruleSources(options.rulesDir), options.cacheDir);
  built.set(key, { stamp, classifier });
  return classifier;
}
