/**
 * The saved-artefacts format (STYLE §8): one JSON file per scanned URL, written by
 * `--save-artifacts DIR` and read by `--from-artifacts DIR`. It is also the fixture format
 * for golden reports, so it is versioned and validated on load.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Artefacts } from './types.ts';

export const ARTEFACT_FORMAT = 'vioscan-artefacts';
export const ARTEFACT_FORMAT_VERSION = 1;

export interface SavedScan {
  format: typeof ARTEFACT_FORMAT;
  version: typeof ARTEFACT_FORMAT_VERSION;
  startedAt: string;
  finishedAt: string;
  artefacts: Artefacts;
}

// Shallow on purpose: artefacts are judged defensively by the checks; this catches wrong files.
const savedSchema = z.object({
  format: z.literal(ARTEFACT_FORMAT),
  version: z.literal(ARTEFACT_FORMAT_VERSION),
  startedAt: z.string(),
  finishedAt: z.string(),
  artefacts: z
    .object({
      target: z.string(),
      page: z.object({ requestedUrl: z.string(), hops: z.array(z.unknown()) }).loose(),
      timings: z.record(z.string(), z.number()),
    })
    .loose(),
});

/** A file name that is safe on every filesystem and stable for the same target. */
export function artefactFileName(target: string): string {
  let stem = 'target';
  try {
    const url = new URL(target);
    stem = `${url.hostname}${url.port ? `_${url.port}` : ''}`.replace(/[^a-z0-9.-]/gi, '_').slice(0, 80);
  } catch {
    // fall back to the hash alone
  }
  const hash = createHash('sha256').update(target).digest('hex').slice(0, 10);
  return `${stem}-${hash}.artefacts.json`;
}

export async function saveArtefacts(
  dir: string,
  scan: Omit<SavedScan, 'format' | 'version'>,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, artefactFileName(scan.artefacts.target));
  const saved: SavedScan = { format: ARTEFACT_FORMAT, version: ARTEFACT_FORMAT_VERSION, ...scan };
  await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`);
  return file;
}

export class ArtefactFileError extends Error {
  override name = 'ArtefactFileError';
}

export async function loadSavedScan(file: string): Promise<SavedScan> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ArtefactFileError(`${file}: not readable JSON (${(error as Error).message})`);
  }
  const parsed = savedSchema.safeParse(data);
  if (!parsed.success)
    throw new ArtefactFileError(`${file}: not a ${ARTEFACT_FORMAT} v${ARTEFACT_FORMAT_VERSION} file`);
  return parsed.data as unknown as SavedScan;
}

/** Every saved scan in DIR (files ending in .artefacts.json), in file-name order. */
export async function loadArtefactDir(dir: string): Promise<SavedScan[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.artefacts.json')).sort();
  return Promise.all(files.map((f) => loadSavedScan(path.join(dir, f))));
}
