/**
 * bin/entry.js: in a checkout, dist/ runs only while nothing that shapes it changed after its build
 * started: the sources, and the build scripts that bundle the CLI.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_SCRIPTS, chooseEntry } from '../../bin/entry.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const BUILT = Date.parse('2026-12-01T12:00:00Z');
const BEFORE = new Date(BUILT - 60_000);
const AFTER = new Date(BUILT + 60_000);

/** A checkout built at BUILT, every file older than the build. */
function checkout(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vioscan-entry-'));
  roots.push(root);
  const files = ['src/cli/index.ts', 'src/scanner/index.ts', 'dist/cli/index.js', ...BUILD_SCRIPTS];
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '// file\n');
    utimesSync(path.join(root, file), BEFORE, BEFORE);
  }
  writeFileSync(path.join(root, 'dist/build-info.json'), JSON.stringify({ sourceTime: BUILT }));
  return root;
}

function touch(root: string, file: string): void {
  utimesSync(path.join(root, file), AFTER, AFTER);
}

describe('chooseEntry in a checkout', () => {
  it('runs dist/ while nothing changed after the build', () => {
    const root = checkout();
    expect(chooseEntry(root)).toEqual({ kind: 'dist', file: path.join(root, 'dist/cli/index.js') });
  });

  it('runs the sources once a source file changed', () => {
    const root = checkout();
    touch(root, 'src/scanner/index.ts');
    expect(chooseEntry(root)).toMatchObject({ kind: 'source', reason: 'src/ changed after the last build' });
  });

  it.each(BUILD_SCRIPTS)('runs the sources once %s changed', (script) => {
    const root = checkout();
    touch(root, script);
    expect(chooseEntry(root)).toMatchObject({
      kind: 'source',
      reason: 'a build script changed after the last build',
    });
  });

  it('runs the sources when dist/ was never built', () => {
    const root = checkout();
    rmSync(path.join(root, 'dist/build-info.json'));
    expect(chooseEntry(root)).toMatchObject({ kind: 'source', reason: 'dist/ is not built' });
  });
});
