/**
 * The browser stage (DESIGN §7): gatherBrowser(target, options) → BrowserArtefact. The visits run in
 * fresh contexts of one reused Chromium (pool.ts), every request through a guarded proxy (proxy.ts),
 * each recorded by visit.ts and classified by classify.ts. Never throws: a stage that cannot run
 * returns `{ error }` (STYLE §2).
 */
import type { PrivateAccess } from '../gather/address-policy.ts';
import type { Resolver } from '../gather/guard.ts';
import { createClassifier, type ClassifierOptions } from './classify.ts';
import { pooledBrowser } from './pool.ts';
import type { BrowserArtefact, VisitKind } from './types.ts';
import { VISIT_KINDS } from './types.ts';
import { runVisits } from './visits.ts';

export { closeBrowserPool, exitOnSignals } from './pool.ts';
export interface BrowserOptions {
  /** Let loopback/private targets through the proxy (tests, --allow-private), or to one origin only (PrivateAccess). Metadata stays blocked. */
  allowPrivate?: PrivateAccess;
  /** Extra trusted CA certificates (PEM), trusted by the browser too (--ca). */
  ca?: string[];
  /** Extra request headers (--header): sent to the target host only, never recorded. */
  headers?: Record<string, string>;
  /** The proxy's resolver (tests map fixture names to loopback). */
  resolver?: Resolver;
  /** Which visits, default all three; `['none']` is the one-visit scan. */
  visits?: readonly VisitKind[];
  /** Hard limit per visit and for the whole stage. */
  timeouts?: { visitMs?: number; totalMs?: number };
  /** Write a HAR per visit plus cookies and storage dumps here (--evidence). */
  evidenceDir?: string;
  /** Chromium executable (CHROMIUM_PATH); default Debian's /usr/bin/chromium (the real binary behind it). */
  chromiumPath?: string;
  signal?: AbortSignal;
  /** Operator tracker lists (RULES_DIR) and the parsed-engine cache; absent: the shipped snapshot. */
  rules?: ClassifierOptions;
}

const failed = (code: string, message: string): BrowserArtefact => ({
  browser: { product: 'none', userAgent: '', thirdPartyCookies: 'allowed' },
  lists: [],
  visits: [],
  error: { code, message },
});

const firstLine = (e: unknown) =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .slice(0, 300);

/** A visit's own limit, and the stage's: whichever ends first (the visits run side by side). */
const VISIT_MS = 30_000;

export async function gatherBrowser(target: string, options: BrowserOptions = {}): Promise<BrowserArtefact> {
  let pooled;
  try {
    pooled = await pooledBrowser({
      ...(options.chromiumPath && { chromiumPath: options.chromiumPath }),
      ...(options.ca && { ca: options.ca }),
    });
  } catch (e) {
    return failed('browser_unavailable', `Chromium could not start: ${firstLine(e)}`);
  }
  let classifier;
  try {
    classifier = await createClassifier(options.rules);
  } catch (e) {
    return failed('rules_unavailable', `the tracker lists could not be loaded: ${firstLine(e)}`);
  }
  const visitMs = Math.min(options.timeouts?.visitMs ?? VISIT_MS, options.timeouts?.totalMs ?? Infinity);
  const { visits, accessibility } = await runVisits(target, {
    browser: pooled.browser,
    classifier,
    visits: options.visits ?? VISIT_KINDS,
    visitMs,
    ...(options.allowPrivate !== undefined && { allowPrivate: options.allowPrivate }),
    ...(options.resolver && { resolver: options.resolver }),
    ...(options.ca && { ca: options.ca }),
    ...(options.headers && { headers: options.headers }),
    ...(options.signal && { signal: options.signal }),
    ...(options.evidenceDir && { evidenceDir: options.evidenceDir }),
  });
  return {
    browser: { product: pooled.product, userAgent: pooled.userAgent, thirdPartyCookies: 'allowed' },
    lists: classifier.lists,
    visits,
    ...(accessibility && { accessibility }),
  };
}
