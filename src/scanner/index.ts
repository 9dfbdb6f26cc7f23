/**
 * scan(url, options) = gather (+ the browser stage, in parallel) → analyze (STYLE §1: this file only
 * wires the stages). Replay: `replay(saved)` runs analyze on artefacts saved by `--save-artifacts`
 * (see artefact-store.ts), so a scan can be judged again offline.
 */
import { analyze, type Suppression } from './analyze.ts';
import { gatherBrowser, type BrowserOptions } from './browser/index.ts';
import { VISIT_KINDS, type BrowserArtefact, type VisitKind } from './browser/types.ts';
import { normaliseUrl } from './gather/address-policy.ts';
import { gather, type GatherOptions } from './gather/index.ts';
import type { SavedScan } from './artefact-store.ts';
import type { Artefacts, GatherError, Report } from './types.ts';

/** Progress of the browser stage, for the CLI's stderr lines (the passive gatherers are quick). */
export type StageEvent =
  | { stage: 'browser'; phase: 'start'; target: string; visits: readonly VisitKind[] }
  | { stage: 'browser'; phase: 'done'; target: string; ms: number; error?: GatherError };

export interface ScanOptions extends GatherOptions {
  suppressions?: Suppression[];
  /**
   * Also visit the page in Chromium (privacy and accessibility checks): `true` for the three visits, or
   * the stage's own options. What it does not set comes from this scan's options (browserOptionsFor).
   */
  browser?: boolean | BrowserOptions;
  onStage?: (event: StageEvent) => void;
}

/** A browser visit's default time limit when the scan gives none (autoconsent alone may take 15 s). */
export const BROWSER_VISIT_MS = 30_000;

/**
 * The browser stage gets the scan's own guard settings (private targets, extra CAs, resolver), its
 * --header values (target host only, https only unless the scan sends them over http too) and a per-visit
 * limit from the per-request one; explicit browser options win.
 */
export function browserOptionsFor(target: string, options: ScanOptions): BrowserOptions {
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

async function runBrowserStage(
  target: string,
  options: ScanOptions,
): Promise<{ artefact: BrowserArtefact; ms: number }> {
  const browserOptions = browserOptionsFor(target, options);
  options.onStage?.({
    stage: 'browser',
    phase: 'start',
    target,
    visits: browserOptions.visits ?? VISIT_KINDS,
  });
  const t0 = performance.now();
  // gatherBrowser never throws by contract; a bug in it must still not lose the passive scan.
  const artefact = await gatherBrowser(target, browserOptions).catch((e: unknown): BrowserArtefact => ({
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

export interface ScanResult {
  artefacts: Artefacts;
  report: Report;
  startedAt: string;
  finishedAt: string;
}

const REDACTED = '[redacted]';

/**
 * The --header values (cookies, tokens) are never recorded, but a server may echo them back in
 * a body or header; scrub them from every artefact string before anything is judged or saved.
 */
export function redactValues<T>(value: T, secrets: string[]): T {
  const needles = secrets.filter((s) => s.length >= 4);
  if (needles.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return needles.reduce((acc, n) => acc.split(n).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export async function scan(url: string, options: ScanOptions = {}): Promise<ScanResult> {
  const { suppressions, browser, onStage: _onStage, ...gatherOptions } = options;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  // A URL the guard refuses outright never starts a browser; gather records why.
  const parsed = browser ? normaliseUrl(url) : undefined;
  const [gathered, stage] = await Promise.all([
    gather(url, gatherOptions),
    parsed?.ok ? runBrowserStage(parsed.url.href, options) : undefined,
  ]);
  if (stage) {
    gathered.browser = stage.artefact;
    gathered.timings.browser = stage.ms;
    gathered.timings.total = Math.round(performance.now() - t0);
  }
  const artefacts = redactValues(gathered, Object.values(options.headers ?? {}));
  const finishedAt = new Date().toISOString();
  const report = analyze(artefacts, { startedAt, finishedAt, ...(suppressions && { suppressions }) });
  return { artefacts, report, startedAt, finishedAt };
}

/** Judges saved artefacts again (no network). The clock is the original scan's, so replays are stable. */
export function replay(
  saved: SavedScan,
  options: { suppressions?: Suppression[]; now?: Date } = {},
): ScanResult {
  const report = analyze(saved.artefacts, {
    startedAt: saved.startedAt,
    finishedAt: saved.finishedAt,
    ...(options.suppressions && { suppressions: options.suppressions }),
    ...(options.now && { now: options.now }),
  });
  return { artefacts: saved.artefacts, report, startedAt: saved.startedAt, finishedAt: saved.finishedAt };
}

export type { SavedScan } from './artefact-store.ts';
