/**
 * Chromium's HSTS preload list, its force-https entries: shipped as rules/hsts-preload.txt (one name
 * per line, ` include_subdomains` when the entry covers its subdomains), or an operator's newer copy
 * in RULES_DIR (`vioscan rules update --from transport_security_state_static.json`). A host is
 * preloaded when it is listed itself or a parent is listed with include_subdomains (the rule
 * browsers and the MDN Observatory apply). Source and licence: docs/third-party-data.md.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readManifest, SHIPPED_RULES_DIR } from '../browser/rule-sources.ts';

export const HSTS_PRELOAD_FILE = 'hsts-preload.txt';

export interface HstsPreloadEntry {
  /** The listed name that covers the host (the host itself or a parent). */
  name: string;
  includeSubDomains: boolean;
}

export interface HstsPreloadList {
  /** Date of the list's content, shown in the evidence. */
  date: string;
  /** Number of listed names (reads the list). */
  size(): number;
  /** Reads the list on first use: a scan of IP literals and special-use names never pays for it. */
  lookup(host: string): HstsPreloadEntry | undefined;
}

/** `name[ include_subdomains]` lines → name → includeSubDomains. An indexOf loop: split() is ~8× slower here. */
export function parsePreloadText(text: string): Map<string, boolean> {
  const names = new Map<string, boolean>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim().toLowerCase();
    const space = line.indexOf(' ');
    if (space > 0) names.set(line.slice(0, space), line.slice(space).trim() === 'include_subdomains');
    else if (line) names.set(line, false);
    start = end + 1;
  }
  return names;
}

export function preloadList(load: () => Map<string, boolean>, date: string): HstsPreloadList {
  let names: Map<string, boolean> | undefined;
  const get = () => (names ??= load());
  return {
    date,
    size: () => get().size,
    lookup(host) {
      const all = get();
      const labels = host.toLowerCase().replace(/\.$/, '').split('.');
      const own = all.get(labels.join('.'));
      if (own !== undefined) return { name: labels.join('.'), includeSubDomains: own };
      for (let i = 1; i < labels.length; i++) {
        const parent = labels.slice(i).join('.');
        if (all.get(parent) === true) return { name: parent, includeSubDomains: true };
      }
      return undefined;
    },
  };
}
/**
 * Chromium's transport_security_state_static.json (`//` comment lines, then JSON) → our text format,
 * force-https entries only. Throws with a plain reason when the file is not that list.
 */
export function chromiumPreloadToText(text: string): { text: string; count: number } {
  const json: unknown = JSON.parse(
    text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('//'))
      .join('\n'),
  );
  const entries = (json as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new Error('it has no "entries" array');
  const lines: string[] = [];
  for (const entry of entries as { name?: unknown; mode?: unknown; include_subdomains?: unknown }[]) {
    if (entry.mode !== 'force-https' || typeof entry.name !== 'string') continue;
    if (!/^[a-z0-9.-]{1,253}$/i.test(entry.name)) continue;
    lines.push(entry.include_subdomains === true ? `${entry.name} include_subdomains` : entry.name);
  }
  lines.sort();
  return { text: `${lines.join('\n')}\n`, count: lines.length };
}

const memo = new Map<string, { stamp: string; list: HstsPreloadList }>();

/** The list in use: RULES_DIR's copy when its manifest names one, otherwise the shipped snapshot. Memoised. */
export function loadHstsPreload(rulesDir?: string): HstsPreloadList {
  const operator = rulesDir && readManifest(rulesDir)['hsts-preload'];
  const dir = operator && existsSync(path.join(rulesDir, HSTS_PRELOAD_FILE)) ? rulesDir : SHIPPED_RULES_DIR;
  const file = path.join(dir, HSTS_PRELOAD_FILE);
  const st = statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const cached = memo.get(file);
  if (cached?.stamp === stamp) return cached.list;
  const date = readManifest(dir)['hsts-preload']?.date ?? 'unknown';
  const list = preloadList(() => parsePreloadText(readFileSync(file, 'utf8')), date);
  memo.set(file, { stamp, list });
  return list;
}
