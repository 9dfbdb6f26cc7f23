import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A passive `vioscan scan` loads neither the tracker engine (@ghostery/adblocker, for the browser
 * stage's classifier) nor the YAML parser (for a suppressions file): each cost the CLI's start
 * time for nothing (npm run bench:observatory, issue 14). ES modules are not in require.cache, so a
 * child process records every URL its loader resolves.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'vioscan-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function resolvedBy(entry: string): string[] {
  const log = path.join(dir, `${path.basename(entry)}.log`);
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`,
  );
  const register = path.join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, '');
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      register,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(pathToFileURL(entry).href)});`,
    ],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const src = path.resolve(import.meta.dirname, '../../src');
const heavy = (urls: string[]) => urls.filter((u) => /node_modules\/(@ghostery\/adblocker|yaml)\//.test(u));

describe('a passive scan loads what it uses', () => {
  it('the CLI scan command loads neither the tracker engine nor the YAML parser', () => {
    expect(heavy(resolvedBy(path.join(src, 'cli/commands/scan-run.ts')))).toEqual([]);
  });

  it('the classifier and the suppressions parser do (so the check above can see them)', () => {
    const urls = [
      ...resolvedBy(path.join(src, 'scanner/browser/classify.ts')),
      ...resolvedBy(path.join(src, 'scanner/suppressions.ts')),
    ];
    expect(urls.some((u) => u.includes('@ghostery/adblocker'))).toBe(true);
    expect(urls.some((u) => /node_modules\/yaml\//.test(u))).toBe(true);
  });
});
