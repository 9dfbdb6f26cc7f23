import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GOLDEN_DIR } from '../../../scripts/update-golden.ts';
import { ARTEFACT_FORMAT, ARTEFACT_FORMAT_VERSION } from '../../../src/scanner/artefact-store.ts';
import { replay, type ScanOptions } from '../../../src/scanner/index.ts';
import type { Artefacts } from '../../../src/scanner/types.ts';

export const HAR = '{"log":{"version":"1.2","entries":[]}}';

/** The golden tracking site's artefacts (a browser stage with three visits and a first-visit screenshot). */
export const trackingArtefacts = (): Artefacts =>
  JSON.parse(readFileSync(`${GOLDEN_DIR}artefacts/tracking-site.json`, 'utf8')) as Artefacts;

/**
 * A scanner for runScanJob that replays `artefacts` (the golden tracking site by default) through
 * the real checks (without its browser artefact when the scan has no browser stage), and writes `files` where the browser stage writes its evidence
 * (BrowserOptions.evidenceDir): the browser stands in, everything after it is real.
 */
export function replayScanner(
  seen: ScanOptions[] = [],
  artefacts: Artefacts = trackingArtefacts(),
  files: Record<string, string> = { 'none.har': HAR },
) {
  return async (_url: string, options: ScanOptions) => {
    seen.push(options);
    const dir = typeof options.browser === 'object' ? options.browser.evidenceDir : undefined;
    if (dir) for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
    // A scan without the browser stage has no browser artefact, as in a real passive scan.
    const { browser, ...passive } = artefacts;
    return replay({
      format: ARTEFACT_FORMAT,
      version: ARTEFACT_FORMAT_VERSION,
      artefacts: options.browser ? { ...passive, browser } : passive,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:09.000Z',
    });
  };
}

/**
 * The tracking site a week later: Hotjar removed, a new unknown third party (`newparty.example`)
 * loaded in every visit.
 */
export function changedTrackingArtefacts(): Artefacts {
  const artefacts = trackingArtefacts();
  for (const visit of artefacts.browser?.visits ?? []) {
    visit.requests = visit.requests.filter((r) => r.classification?.owner?.company !== 'Hotjar');
    visit.requests.push({
      url: 'https://cdn.newparty.example/widget.js',
      method: 'GET',
      type: 'script',
      status: 200,
      atMs: 400,
      classification: { domain: 'newparty.example', party: 'third' },
      initiator: 'https://example.test/',
    } as (typeof visit.requests)[number]);
  }
  return artefacts;
}
