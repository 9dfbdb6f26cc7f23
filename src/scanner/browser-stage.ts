/**
 * The browser stage as scan() runs it: its options derived from the scan's own, its progress events,
 * and a failure that never loses the passive scan. The stage itself is browser/index.ts (gatherBrowser).
 */
import type { BrowserOptions } from './browser/index.ts';
import { VISIT_KINDS, type BrowserArtefact, type VisitKind } from './browser/types.ts';
import type { GatherOptions } from './gather/index.ts';
import type { GatherError } from './types.ts';

/** The scan options the browser stage reads (ScanOptions in index.ts extends these). */
export interface BrowserStageOptions extends GatherOptions {
  /**
   * Also visit the page in Chromium (privacy and accessibility checks): `true` for the three visits, or
   * the stage's own options. What it does not set comes from this scan's options (browserOptionsFor).
   */
  browser?: boolean | BrowserOptions;
  onStage?: (event: StageEvent) => void;
}

/** Progress of the browser stage, for the CLI's stderr lines (the passive gatherers are quick). */
export type StageEvent =
  | { stage: 'browser'; phase: 'start'; target: string; visits: readonly VisitKind[] }
  | { stage: 'browser'; phase: 'done'; target: string; ms: number; error?: GatherError };

/** A browser visit's default time limit when the scan gives none (autoconsent alone may take 15 s). */
export const BROWSER_VISIT_MS = 30_000;

/**
 * The browser stage gets the scan's own guard settings (private targets, extra CAs, resolver), its
 * --header values (target host only, https only unless the scan sends them over http too) and a per-visit
 * limit from the per-request one; explicit browser options win.
 */
export function browserOptionsFor(target: string, options: BrowserStageOptions): BrowserOptions {
  const given = typeof options.browser === 'object' ? options.browser : {};
  const visits = given.visits ?? VISIT_KINDS;
  const visitMs = given.timeouts?.visitMs ?? Math.max(options.timeouts?.totalMs ?? BROWSER_VISIT_MS, 10_000);
  const headers = options.headers && Object.keys(options.headers).length > 0 ? options.headers : undefined;
  const headersAllowed = target.startsWith('https:') || options.headersOverHttp === true;
  return {
    ...(options.allowPrivate !== undefined && { allowPrivate: options.allowPrivate }),
    ...(options.ca && { ca: options.ca }),
    ...(options.resolver && { resolver: options.resolver }),
    ...(headers && headersAllowed && { headers }),
    ...given,
    visits,
    timeouts: { visitMs, totalMs: given.timeouts?.totalMs ?? visitMs * visits.length + 10_000 },
  };
}

export async function runBrowserStage(
  target: string,
  options: BrowserStageOptions,
): Promise<{ artefact: BrowserArtefact; ms: number }> {
  const browserOptions = browserOptionsFor(target, options);
  options.onStage?.({
    stage: 'browser',
    phase: 'start',
    target,
    visits: browserOptions.visits ?? VISIT_KINDS,
  });
  const t0 = performance.now();
  // gatherBrowser never throws by contract; a bug in it (or a missing Playwright) must still not
  // lose the passive scan. Loaded here, not at the top: a passive scan never pays for Playwright.
  const artefact = await import('./browser/index.ts')
    .then(({ gatherBrowser }) => gatherBrowser(target, browserOptions))
    .catch((e: unknown): BrowserArtefact => ({
      browser: { product: 'none', userAgent: '', thirdPartyCookies: 'allowed' },
      lists: [],
      visits: [],
      error: {
        code: 'gatherer_failed',
        message: `browser stage failed unexpectedly: ${String((e as Error)?.message ?? e).slice(0, 200)}`,
      },
    }));
  const ms = Math.round(performance.now() - t0);
  options.onStage?.({
    stage: 'browser',
    phase: 'done',
    target,
    ms,
    ...(artefact.error && { error: artefact.error }),
  });
  return { artefact, ms };
}
