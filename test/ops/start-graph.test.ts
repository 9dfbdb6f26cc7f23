import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What `vioscan serve` loads before it answers /readyz (issue 16: ready in ≤ 3 s on restart).
 * Libraries that only a request or a job needs are imported where they are used; loading them at
 * start cost about a second of CPU. Checked in a child process whose module loader records every
 * file it loads (ES modules have no require.cache to look in).
 */
const ON_DEMAND = [
  'stripe',
  'nodemailer',
  '@simplewebauthn/server',
  'qrcode',
  'yazl',
  'undici',
  '@ghostery/adblocker',
  'htmlparser2',
  'playwright-core',
  'axe-core',
];

const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'vioscan-start-graph-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The packages (under node_modules) that importing `files` loads. */
function packagesLoadedBy(files: string[], name: string): string[] {
  const log = path.join(work, `${name}.log`);
  const hooks = path.join(work, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) { appendFileSync(log, url + '\\n'); return next(url, context); }
`,
  );
  const register = path.join(work, `register-${name}.mjs`);
  writeFileSync(
    register,
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });
`,
  );
  writeFileSync(log, '');
  const imports = files.map(
    (f) => `await import(${JSON.stringify(pathToFileURL(path.join(root, f)).href)});`,
  );
  execFileSync(
    process.execPath,
    ['--import', 'tsx', '--import', register, '--input-type=module', '-e', imports.join('\n')],
    { cwd: root, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const packages = readFileSync(log, 'utf8')
    .split('\n')
    .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
    .filter((p): p is string => p !== undefined);
  return [...new Set(packages)];
}

describe('the server process before it is ready', () => {
  it('loads none of the libraries that only a request or a job needs', () => {
    const loaded = packagesLoadedBy(
      ['src/cli/commands/serve.ts', 'src/ops/server-process.ts', 'src/http/app.ts'],
      'server',
    );
    expect(loaded).toContain('fastify');
    expect(loaded.filter((p) => ON_DEMAND.includes(p))).toEqual([]);
  }, 120_000);

  it('the job handlers (loaded once it listens) do load some, so the check above can see them', () => {
    const loaded = packagesLoadedBy(['src/jobs/index.ts'], 'jobs');
    expect(loaded).toEqual(expect.arrayContaining(['undici', '@ghostery/adblocker', 'htmlparser2']));
  }, 120_000);
});
