/**
 * The browser stage (DESIGN §7): gatherBrowser(target, options) → BrowserArtefact. Three visits in
 * fresh contexts of one reused Chromium, every request through the guarded proxy. Never throws:
 * a stage that cannot run returns `{ error }` (STYLE §2).
 *
 * CONTRACT STUB — filled in by the browser runtime work (proxy.ts, pool.ts, visit.ts, visits.ts).
 */
import type { Resolver } from '../gather/guard.ts';
import type { BrowserArtefact, VisitKind } from './types.ts';

export interface BrowserOptions {
  /** Let loopback/private targets through the proxy (tests, --allow-private). Metadata stays blocked. */
  allowPrivate?: boolean;
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
}

export async function gatherBrowser(
  _target: string,
  _options: BrowserOptions = {},
): Promise<BrowserArtefact> {
  return {
    browser: { product: 'none', userAgent: '', thirdPartyCookies: 'allowed' },
    lists: [],
    visits: [],
    error: { code: 'browser_unavailable', message: 'the browser stage is not built yet' },
  };
}
