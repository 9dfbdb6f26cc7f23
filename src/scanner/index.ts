/**
 * scan(url, options) = gather (+ the browser stage, in parallel) → analyze (STYLE §1: this file only
 * wires the stages). Replay: `replay(saved)` runs analyze on artefacts saved by `--save-artifacts`
 * (see artefact-store.ts), so a scan can be judged again offline.
 */
import { analyze, type Suppression } from './analyze.ts';
import { runBrowserStage, type BrowserStageOptions } from './browser-stage.ts';
import { normaliseUrl } from './gather/address-policy.ts';
import { gather } from './gather/index.ts';
import type { SavedScan } from './artefact-store.ts';
import type { Artefacts, Report } from './types.ts';

export interface ScanOptions extends BrowserStageOptions {
  suppressions?: Suppression[];
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
export { BROWSER_VISIT_MS, browserOptionsFor, type StageEvent } from './browser-stage.ts';
