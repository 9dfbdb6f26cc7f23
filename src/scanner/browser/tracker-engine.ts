/**
 * EasyPrivacy / EasyList as @ghostery/adblocker engines, parsed offline from the text in use (never
 * its fromLists/fromPrebuilt helpers, which download). Parsing a list costs about a second, so the
 * serialized engine is cached on disk, keyed by the list's SHA-256 and the engine version (a
 * library upgrade changes ENGINE_VERSION and deserialize would refuse the old bytes anyway).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENGINE_VERSION, FiltersEngine, Request } from '@ghostery/adblocker';
import { sha256Hex } from './rule-sources.ts';

/**
 * debug keeps each filter's raw line (reports quote the rule that matched); without optimisations
 * filters are not merged, so that line is the list's own. Cosmetic filters are never needed here.
 */
const ENGINE_CONFIG = {
  debug: true,
  enableOptimizations: false,
  loadCosmeticFilters: false,
  loadGenericCosmeticsFilters: false,
  loadCSPFilters: false,
  loadExtendedSelectors: false,
};

/** Some EasyList filters carry hundreds of `domain=` exceptions: the report quotes a capped line. */
const FILTER_TEXT_MAX = 200;

export interface ListMatcher {
  /** The matching filter's text, or undefined when the list does not block this request. */
  match(request: { url: string; type: string; sourceUrl: string }): string | undefined;
}

export interface EngineLoad {
  matcher: ListMatcher;
  /** How the engine was obtained: parsed from text, or read from the disk cache. */
  via: 'parse' | 'cache';
}

function cacheFile(cacheDir: string, sha256: string): string {
  return path.join(cacheDir, `${sha256.slice(0, 32)}-v${ENGINE_VERSION}.engine`);
}

function readCached(cacheDir: string | undefined, sha256: string): FiltersEngine | undefined {
  if (!cacheDir) return undefined;
  try {
    return FiltersEngine.deserialize(readFileSync(cacheFile(cacheDir, sha256)));
  } catch {
    return undefined; // absent, truncated or from another engine version: parse instead
  }
}

/** Best effort: a read-only or full disk costs the next process a parse, never the scan. */
function writeCached(cacheDir: string | undefined, sha256: string, engine: FiltersEngine): void {
  if (!cacheDir) return;
  const target = cacheFile(cacheDir, sha256);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(temp, engine.serialize());
    renameSync(temp, target);
  } catch {
    // ignored on purpose (see above)
  }
}

export function parseList(text: string): FiltersEngine {
  return FiltersEngine.parse(text, ENGINE_CONFIG);
}

export function listMatcher(engine: FiltersEngine): ListMatcher {
  return {
    match({ url, type, sourceUrl }) {
      const result = engine.match(Request.fromRawDetails({ url, type: type as 'other', sourceUrl }));
      if (!result.match || !result.filter) return undefined;
      return result.filter.toString().slice(0, FILTER_TEXT_MAX);
    },
  };
}

export function loadEngine(text: string, cacheDir?: string): EngineLoad {
  const sha256 = sha256Hex(text);
  const cached = readCached(cacheDir, sha256);
  if (cached) return { matcher: listMatcher(cached), via: 'cache' };
  const engine = parseList(text);
  writeCached(cacheDir, sha256, engine);
  return { matcher: listMatcher(engine), via: 'parse' };
}
