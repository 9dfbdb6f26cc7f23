/**
 * `vioscan rules update --from <file>`: an operator refreshes EasyPrivacy, EasyList or the owner map
 * from a local file. The file is validated completely (it parses, has a plausible size and filter
 * count, the owner map fits its schema) before anything is written; then it is written atomically
 * (temporary file + rename) into RULES_DIR, never into the installed package, and the manifest
 * records its date and SHA-256. The classifier prefers these files to the shipped snapshot.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { ownerMapProblems, ownerMapSchema } from './owners.ts';
import {
  manifestPath,
  manifestSchema,
  readManifest,
  RULE_FILES,
  RULE_IDS,
  ruleSources,
  sha256Hex,
  SHIPPED_RULES_DIR,
  type Manifest,
  type RuleId,
} from './rule-sources.ts';
import { parseList } from './tracker-engine.ts';
import { chromiumPreloadToText, HSTS_PRELOAD_FILE } from '../data/hsts-preload.ts';

/** What `rules update` installs: a tracker list, the owner map, or Chromium's HSTS preload list. */
export type DataId = RuleId | 'hsts-preload';
const DATA_IDS: readonly DataId[] = [...RULE_IDS, 'hsts-preload'];
const DATA_FILES: Record<DataId, string> = { ...RULE_FILES, 'hsts-preload': HSTS_PRELOAD_FILE };
/** The real list has ~95 000 force-https entries. */
const MIN_PRELOAD_ENTRIES = 10_000;

/** Bad input: the CLI prints the message and exits 2, nothing was changed. */
export class RulesInputError extends Error {
  override name = 'RulesInputError';
}

const MAX_BYTES = 32 * 1024 * 1024;
/** The shipped snapshot has 54 335 (EasyPrivacy) and 48 508 (EasyList) network filters. */
const MIN_NETWORK_FILTERS: Record<'easyprivacy' | 'easylist', number> = {
  easyprivacy: 5_000,
  easylist: 5_000,
};
const MIN_OWNER_ENTRIES = 10;
const TITLES: Record<'easyprivacy' | 'easylist', string> = {
  easyprivacy: 'EasyPrivacy',
  easylist: 'EasyList',
};

export interface UpdateOptions {
  /** Which list the file is; by default read from its `! Title:` header or its JSON shape. */
  list?: DataId;
  /** The content's date (YYYY-MM-DD); by default the list's `Last modified` header, or today. */
  date?: string;
  now?: Date;
}

export interface UpdateResult {
  id: DataId;
  path: string;
  date: string;
  sha256: string;
  bytes: number;
  /** What was validated, e.g. `31 204 network filters`. */
  detail: string;
}

function titleOf(text: string): string | undefined {
  return /^!\s*Title:\s*(.+)$/m.exec(text.slice(0, 4000))?.[1]?.trim();
}

export function identifyRules(text: string, hint?: DataId): DataId {
  if (hint) return hint;
  // Chromium's file opens with its licence in // comments and lists entries with a "mode".
  if (/^\s*\/\//.test(text) || /"mode"\s*:\s*"force-https"/.test(text.slice(0, 200_000)))
    return 'hsts-preload';
  if (/^\s*\{/.test(text)) return 'owners';
  const title = titleOf(text);
  if (title === TITLES.easyprivacy) return 'easyprivacy';
  if (title === TITLES.easylist) return 'easylist';
  throw new RulesInputError(
    `cannot tell which list this is (its "! Title:" is ${title ? JSON.stringify(title.slice(0, 60)) : 'missing'}); pass --list easyprivacy|easylist|owners|hsts-preload`,
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `! Last modified: 07 Dec 2026 12:00 UTC`, when the list carries a real date. */
function headerDate(text: string): string | undefined {
  const raw = /^!\s*Last modified:\s*(.+)$/m.exec(text.slice(0, 4000))?.[1]?.trim();
  if (!raw) return undefined;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? undefined : isoDay(parsed);
}

function validateList(id: 'easyprivacy' | 'easylist', text: string): string {
  if (!/^\[Adblock Plus [\d.]+\]/.test(text) && !titleOf(text)) {
    throw new RulesInputError(
      'not a filter list: it has neither an "[Adblock Plus …]" nor a "! Title:" header',
    );
  }
  const title = titleOf(text);
  if (title && title !== TITLES[id]) {
    throw new RulesInputError(
      `this file's title is ${JSON.stringify(title.slice(0, 60))}, not ${TITLES[id]}`,
    );
  }
  const filters = parseList(text).getFilters().networkFilters.length;
  if (filters < MIN_NETWORK_FILTERS[id]) {
    throw new RulesInputError(
      `only ${filters} network filters parsed; a real ${TITLES[id]} has tens of thousands (at least ${MIN_NETWORK_FILTERS[id]} expected)`,
    );
  }
  return `${filters} network filters`;
}

function validateOwners(text: string): { detail: string; date: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesInputError(`the owner map is not JSON: ${(error as Error).message}`);
  }
  const problems = ownerMapProblems(json);
  if (problems.length) throw new RulesInputError(`the owner map is invalid:\n  ${problems.join('\n  ')}`);
  const map = ownerMapSchema.parse(json);
  if (map.entries.length < MIN_OWNER_ENTRIES) {
    throw new RulesInputError(
      `the owner map has ${map.entries.length} entries; at least ${MIN_OWNER_ENTRIES} expected`,
    );
  }
  const domains = map.entries.reduce((n, e) => n + e.domains.length, 0);
  return { detail: `${map.entries.length} entries, ${domains} domains`, date: map.date };
}

function validatePreload(text: string): { detail: string; text: string } {
  let converted: { text: string; count: number };
  try {
    converted = chromiumPreloadToText(text);
  } catch (error) {
    throw new RulesInputError(
      `not Chromium's transport_security_state_static.json: ${(error as Error).message}`,
    );
  }
  if (converted.count < MIN_PRELOAD_ENTRIES) {
    throw new RulesInputError(
      `only ${converted.count} force-https entries; the real HSTS preload list has tens of thousands (at least ${MIN_PRELOAD_ENTRIES} expected)`,
    );
  }
  return { detail: `${converted.count} force-https entries`, text: converted.text };
}

function readInput(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new RulesInputError(`${file} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof RulesInputError) throw error;
    throw new RulesInputError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (size === 0) throw new RulesInputError(`${file} is empty`);
  if (size > MAX_BYTES)
    throw new RulesInputError(`${file} is ${size} bytes; at most ${MAX_BYTES} are accepted`);
  const text = readFileSync(file, 'utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD'))
    throw new RulesInputError(`${file} is not UTF-8 text`);
  return text;
}

/** Writes next to the target and renames over it, so a reader sees the old or the new file, never half of one. */
function writeAtomically(target: string, data: string): void {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function updateRules(rulesDir: string, fromFile: string, options: UpdateOptions = {}): UpdateResult {
  if (options.list && !DATA_IDS.includes(options.list)) {
    throw new RulesInputError(`--list must be one of ${DATA_IDS.join(', ')}`);
  }
  if (
    options.date !== undefined &&
    (!ISO_DATE.test(options.date) || Number.isNaN(Date.parse(options.date)))
  ) {
    throw new RulesInputError(`--date must be a date YYYY-MM-DD, got ${JSON.stringify(options.date)}`);
  }
  const text = readInput(fromFile);
  const id = identifyRules(text, options.list);
  let detail: string;
  let contentDate: string | undefined;
  let content = text;
  if (id === 'hsts-preload') {
    ({ detail, text: content } = validatePreload(text));
  } else if (id === 'owners') {
    ({ detail, date: contentDate } = validateOwners(text));
  } else {
    detail = validateList(id, text);
    contentDate = headerDate(text);
  }
  let manifest: Manifest;
  try {
    manifest = readManifest(rulesDir);
  } catch (error) {
    throw new RulesInputError(
      `the existing ${manifestPath(rulesDir)} is unreadable (${(error as Error).message}); fix or remove it first`,
    );
  }
  const sha256 = sha256Hex(content);
  const now = options.now ?? new Date();
  const date = options.date ?? contentDate ?? isoDay(now);
  const entry = { date, source: path.resolve(fromFile).slice(0, 500), sha256, updatedAt: now.toISOString() };
  const next = manifestSchema.parse({ ...manifest, [id]: entry });

  mkdirSync(rulesDir, { recursive: true });
  const target = path.join(rulesDir, DATA_FILES[id]);
  writeAtomically(target, content);
  writeAtomically(manifestPath(rulesDir), `${JSON.stringify(next, null, 2)}\n`);
  return { id, path: target, date, sha256, bytes: Buffer.byteLength(content), detail };
}

export interface DataStatus {
  id: DataId;
  name: string;
  date: string;
  origin: 'operator' | 'shipped';
  path: string;
}

/** What the scanner would use now: per list its origin (operator or shipped), date and file. */
export function rulesStatus(rulesDir?: string): DataStatus[] {
  const lists: DataStatus[] = Object.values(ruleSources(rulesDir)).map(
    ({ id, name, date, origin, path }) => ({
      id,
      name,
      date,
      origin,
      path,
    }),
  );
  const operator = rulesDir ? readManifest(rulesDir)['hsts-preload'] : undefined;
  const own =
    rulesDir !== undefined && operator !== undefined && existsSync(path.join(rulesDir, HSTS_PRELOAD_FILE));
  const dir = own ? rulesDir : SHIPPED_RULES_DIR;
  lists.push({
    id: 'hsts-preload',
    name: 'HSTS preload list',
    date: readManifest(dir)['hsts-preload']?.date ?? 'unknown',
    origin: own ? 'operator' : 'shipped',
    path: path.join(dir, HSTS_PRELOAD_FILE),
  });
  return lists;
}
