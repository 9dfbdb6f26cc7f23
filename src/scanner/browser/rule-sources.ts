/**
 * Where the classifier's data comes from: the snapshot shipped in the package's `rules/` folder, or
 * an operator's refreshed copy in RULES_DIR (`vioscan rules update`), which wins when present.
 * Each folder has a `manifest.json` recording, per list, the date of its content and its SHA-256.
 * Licences and refresh steps: docs/third-party-data.md.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { TrackerListInfo } from './types.ts';

export type RuleId = TrackerListInfo['id'];
export const RULE_IDS: readonly RuleId[] = ['easyprivacy', 'easylist', 'owners'];

/** The package's own snapshot (not ./data, which is the runtime data directory). */
export const SHIPPED_RULES_DIR = fileURLToPath(new URL('../../../rules/', import.meta.url));

export const RULE_FILES: Record<RuleId, string> = {
  easyprivacy: 'easyprivacy.txt',
  easylist: 'easylist.txt',
  owners: 'owners.json',
};

const RULE_META: Record<RuleId, { name: string; licence: string }> = {
  easyprivacy: { name: 'EasyPrivacy', licence: 'GPL-3.0-or-later OR CC-BY-SA-3.0' },
  easylist: { name: 'EasyList', licence: 'GPL-3.0-or-later OR CC-BY-SA-3.0' },
  owners: {
    name: 'VIOscan tracker owner map',
    licence: "VIOscan's own data, one first-party source per entry",
  },
};

const MANIFEST_FILE = 'manifest.json';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const manifestEntry = z.object({
  /** Date of the list's content (its `Last modified` header, or when it was taken). */
  date: isoDate,
  /** Where the content came from, in words (a package and path, or the file given to `rules update`). */
  source: z.string().max(500),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** When `rules update` installed it (operator folder only). */
  updatedAt: z.string().optional(),
});
export type ManifestEntry = z.infer<typeof manifestEntry>;
export const manifestSchema = z.object({
  easyprivacy: manifestEntry.optional(),
  easylist: manifestEntry.optional(),
  owners: manifestEntry.optional(),
  /** Chromium's HSTS preload list (src/scanner/data/hsts-preload.ts), not a tracker list. */
  'hsts-preload': manifestEntry.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export interface RuleSource extends TrackerListInfo {
  origin: 'operator' | 'shipped';
  path: string;
  sha256: string;
  source: string;
  updatedAt?: string;
}

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return {};
  return manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function manifestPath(dir: string): string {
  return path.join(dir, MANIFEST_FILE);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The source in use for each list: the operator's copy when RULES_DIR's manifest names it and the
 * file is there, otherwise the shipped snapshot. A broken operator manifest is an error, not a
 * silent fall-back: the operator asked for those rules.
 */
export function ruleSources(rulesDir?: string): Record<RuleId, RuleSource> {
  const shipped = readManifest(SHIPPED_RULES_DIR);
  const operator = rulesDir ? readManifest(rulesDir) : {};
  const pick = (id: RuleId): RuleSource => {
    const own = operator[id];
    if (rulesDir && own && existsSync(path.join(rulesDir, RULE_FILES[id]))) {
      return { id, ...RULE_META[id], ...own, origin: 'operator', path: path.join(rulesDir, RULE_FILES[id]) };
    }
    const entry = shipped[id];
    if (!entry) throw new Error(`the shipped rules manifest has no entry for ${id}`);
    return {
      id,
      ...RULE_META[id],
      ...entry,
      origin: 'shipped',
      path: path.join(SHIPPED_RULES_DIR, RULE_FILES[id]),
    };
  };
  return { easyprivacy: pick('easyprivacy'), easylist: pick('easylist'), owners: pick('owners') };
}

/** Changes whenever an operator file is replaced: the per-process classifier memo keys on it. */
export function operatorStamp(rulesDir?: string): string {
  if (!rulesDir) return '';
  return [MANIFEST_FILE, ...Object.values(RULE_FILES)]
    .map((name) => {
      const file = path.join(rulesDir, name);
      if (!existsSync(file)) return '-';
      const st = statSync(file);
      return `${st.size}:${st.mtimeMs}`;
    })
    .join('|');
}

export function ruleInfo(source: RuleSource): TrackerListInfo {
  return { id: source.id, name: source.name, date: source.date, licence: source.licence };
}
