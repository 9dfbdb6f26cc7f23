/**
 * Regenerate the golden reports from the saved artefacts, on purpose: `npm run golden:update`.
 * Review the diff before committing it — a changed golden report means users' grades change.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/scanner/analyze.ts';
import type { Artefacts, Report } from '../src/scanner/types.ts';

export const GOLDEN_DIR = fileURLToPath(new URL('../test/golden/', import.meta.url));
/** Fixed clock so a replay is byte-identical. */
export const GOLDEN_META = { startedAt: '2025-06-01T00:00:00.000Z', finishedAt: '2025-06-01T00:00:07.000Z' };

export function goldenFixtures(): string[] {
  return readdirSync(`${GOLDEN_DIR}artefacts`)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
}

export function goldenReport(name: string): Report {
  const artefacts = JSON.parse(readFileSync(`${GOLDEN_DIR}artefacts/${name}.json`, 'utf8')) as Artefacts;
  return analyze(artefacts, GOLDEN_META);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of goldenFixtures()) {
    writeFileSync(`${GOLDEN_DIR}reports/${name}.json`, `${JSON.stringify(goldenReport(name), null, 2)}\n`);
    console.log(`wrote test/golden/reports/${name}.json`);
  }
}
