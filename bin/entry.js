import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time (ms) of the files under `dir`, leaving out paths that `skip` matches. */
export function newestMtime(dir, skip = () => false) {
  let newest = 0;
  // Every `vioscan` run in a checkout pays for this walk (~400 files): no path.join, no Math.max.
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = `${entry.parentPath}${path.sep}${entry.name}`;
    if (skip(file)) continue;
    const mtime = statSync(file).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** When the last build started (ms), from dist/build-info.json; undefined when never built. */
export function builtAt(root) {
  const info = path.join(root, 'dist', 'build-info.json');
  return existsSync(info) ? JSON.parse(readFileSync(info, 'utf8')).sourceTime : undefined;
}

/** The scripts that shape dist/ beyond tsc's output (the CLI bundle): a change to one stales it. */
export const BUILD_SCRIPTS = ['scripts/build.js', 'scripts/bundle-cli.js', 'scripts/undici-core.js'];

/** Whether a build script present under `root` changed after `since` (ms). */
function buildScriptChanged(root, since) {
  return BUILD_SCRIPTS.some((file) => {
    const full = path.join(root, file);
    return existsSync(full) && statSync(full).mtimeMs > since;
  });
}

/**
 * What `vioscan` runs from the package root `root`: the compiled dist/ of an installed package;
 * in a checkout (src/ present) dist/ only while no source file or build script changed after its
 * build started (dist/build-info.json), otherwise the TypeScript sources through tsx, so a stale
 * build can never run.
 */
export function chooseEntry(root) {
  const dist = path.join(root, 'dist', 'cli', 'index.js');
  const source = path.join(root, 'src', 'cli', 'index.ts');
  if (!existsSync(source)) return existsSync(dist) ? { kind: 'dist', file: dist } : { kind: 'missing' };
  const sourceTime = builtAt(root);
  if (!existsSync(dist) || sourceTime === undefined)
    return { kind: 'source', file: source, reason: 'dist/ is not built' };
  if (newestMtime(path.join(root, 'src')) > sourceTime)
    return { kind: 'source', file: source, reason: 'src/ changed after the last build' };
  if (buildScriptChanged(root, sourceTime))
    return { kind: 'source', file: source, reason: 'a build script changed after the last build' };
  return { kind: 'dist', file: dist };
}
