import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The package root: this file is src/ops/sbom.ts in a checkout and dist/ops/sbom.js when built. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Written by scripts/build.js: the SBOM of exactly the dependencies this build was made with. */
export const BUILT_SBOM = 'dist/sbom.json';

/** Prints npm's CycloneDX output narrowed to the production dependencies package-lock.json pins. */
const SBOM_SCRIPT = 'scripts/sbom.js';

export interface CycloneDx {
  bomFormat: 'CycloneDX';
  specVersion: string;
  components: { name: string; version: string; purl?: string }[];
  [key: string]: unknown;
}

let cached: Promise<CycloneDx> | undefined;

/**
 * The running version's software bill of materials: the one the build wrote, or (a source
 * checkout that was never built) npm's answer for the lock file, computed once per process.
 */
export function runningSbom(root = ROOT): Promise<CycloneDx> {
  cached ??= (async () => {
    const built = `${root}${BUILT_SBOM}`;
    const text = existsSync(built)
      ? await readFile(built, 'utf8')
      : (
          await promisify(execFile)(process.execPath, [SBOM_SCRIPT, root], {
            cwd: root,
            maxBuffer: 64 * 1024 * 1024,
          })
        ).stdout;
    return JSON.parse(text) as CycloneDx;
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}

/** The lock file of this installation: npm-shrinkwrap.json in a packed release, package-lock.json in a checkout. */
export async function runningLockfile(root = ROOT): Promise<unknown> {
  for (const name of ['npm-shrinkwrap.json', 'package-lock.json']) {
    const file = `${root}${name}`;
    if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8'));
  }
  throw new Error(`no npm-shrinkwrap.json or package-lock.json in ${root}`);
}
