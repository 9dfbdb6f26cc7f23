/**
 * Records the golden browser artefact from a real scan: `npm run golden:record-browser`.
 *
 * Scans the tracking fixture (test/scanner/browser/fixture-sites.ts: trackers before consent, a
 * rejection ignored, GPC ignored, fingerprinting, a key logger, a session recorder, a cookie Chromium
 * refuses) with the browser stage in real Chromium, then makes the artefact stable to replay:
 * the fixture's random port becomes 8443, every date moves by the same amount so the scan starts at
 * GOLDEN_META.startedAt (lifetimes and certificate validity stay as recorded), and screenshots are
 * dropped (kilobytes of base64 no check reads). Writes test/golden/artefacts/tracking-fixture.json;
 * then run `npm run golden:update` and review both diffs. The values that vary between recordings
 * (timings, the _ga cookie's random part) change only when someone records again, on purpose.
 */
import { writeFileSync } from 'node:fs';
import { closeBrowserPool } from '../src/scanner/browser/index.ts';
import { scan } from '../src/scanner/index.ts';
import type { Artefacts } from '../src/scanner/types.ts';
import { startFixtureSites } from '../test/scanner/browser/fixture-sites.ts';
import { GOLDEN_DIR, GOLDEN_META } from './update-golden.ts';

const GOLDEN_PORT = 8443;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The artefact with the port fixed, every ISO date shifted by `shiftMs`, and no screenshot. */
function stabilise(artefacts: Artefacts, port: number, shiftMs: number): Artefacts {
  const text = JSON.stringify(artefacts)
    .replaceAll(`:${port}`, `:${GOLDEN_PORT}`)
    .replaceAll(`%3A${port}`, `%3A${GOLDEN_PORT}`);
  return JSON.parse(text, (key, value: unknown) => {
    if (key === 'screenshot') return undefined;
    if (typeof value === 'string' && ISO_DATE.test(value))
      return new Date(Date.parse(value) + shiftMs).toISOString();
    return value;
  }) as Artefacts;
}

async function main(): Promise<void> {
  const sites = await startFixtureSites();
  try {
    const { artefacts, startedAt } = await scan(sites.trackingUrl, {
      allowPrivate: true,
      resolver: sites.resolver,
      ca: [sites.caPem],
      browser: true,
    });
    if (artefacts.browser?.error || artefacts.browser?.visits.some((v) => v.error))
      throw new Error(`the browser stage did not complete: ${JSON.stringify(artefacts.browser?.error)}`);
    const shift = Date.parse(GOLDEN_META.startedAt) - Date.parse(startedAt);
    const golden = stabilise(artefacts, sites.port, shift);
    writeFileSync(`${GOLDEN_DIR}artefacts/tracking-fixture.json`, `${JSON.stringify(golden, null, 2)}\n`);
    console.log('wrote test/golden/artefacts/tracking-fixture.json; now run npm run golden:update');
  } finally {
    await closeBrowserPool();
    await sites.close();
  }
}

await main();
