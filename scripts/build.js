// `npm run build`: the compiled JavaScript in dist/, the web app in web/dist/ and the embedded
// database template (src/ops/pglite-template.ts). `prepare` runs it with --if-stale on `npm ci`
// in a checkout and before `npm pack`, skipping a build that is still current.
// dist/build-info.json is written last: bin/vioscan.js runs dist/ only when it exists and no file
// in src/ changed after the build started (bin/entry.js).
// A production install without dev dependencies (npm ci --omit=dev) has no TypeScript or Vite:
// it then skips, and such a checkout must be built elsewhere (the container installs the packed
// tarball, which carries dist/ and web/dist/: deploy/Dockerfile).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { builtAt, chooseEntry, newestMtime } from '../bin/entry.js';
import { productionSbom } from './sbom.js';

const root = path.resolve(import.meta.dirname, '..');
// Progress goes to stderr: `npm pack --json` prints its answer on stdout after running prepare.
const say = (text) => process.stderr.write(`vioscan: ${text}\n`);

if (!existsSync(path.join(root, 'src'))) {
  say('an installed package: nothing to build');
  process.exit(0);
}
const require = createRequire(import.meta.url);
try {
  require.resolve('typescript/package.json');
  require.resolve('vite/package.json');
} catch {
  say('TypeScript or Vite is not installed (production install); skipping the build');
  process.exit(0);
}

/** dist/ current for src/, web/dist/ for web/, and both for the installed dependencies. */
function current() {
  const since = builtAt(root);
  if (since === undefined || chooseEntry(root).kind !== 'dist') return false;
  if (!existsSync(path.join(root, 'web', 'dist', 'index.html'))) return false;
  const webDist = path.join(root, 'web', 'dist');
  if (newestMtime(path.join(root, 'web'), (file) => file.startsWith(webDist)) > since) return false;
  return statSync(path.join(root, 'package-lock.json')).mtimeMs <= since;
}

if (process.argv.includes('--if-stale') && current()) {
  say('dist/ and web/dist/ are up to date');
  process.exit(0);
}

const sourceTime = Date.now();
function run(command, args) {
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2], cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
// Type errors are `npm run typecheck`'s (part of npm test); the build only transpiles.
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noCheck']);
// Files the sources read at run time (e.g. the browser instrument's page script) go beside the JavaScript.
cpSync(path.join(root, 'src'), path.join(root, 'dist'), {
  recursive: true,
  filter: (from) => statSync(from).isDirectory() || !from.endsWith('.ts'),
});
// bin/vioscan.js runs dist/cli/index.js: the CLI bundled into a few files, which start faster than
// tsc's ~300 (scripts/bundle-cli.js). The rest of dist/ stays as tsc wrote it.
await (await import('./bundle-cli.js')).bundleCli(root);
// The CycloneDX SBOM of this build's production dependencies (served to staff: src/ops/sbom.ts).
writeFileSync(path.join(root, 'dist', 'sbom.json'), `${JSON.stringify(productionSbom(root), null, 2)}\n`);
run('npm', ['run', 'build:web']);
run(process.execPath, [
  '--input-type=module',
  '-e',
  "await (await import('./dist/ops/pglite-template.js')).buildPgliteTemplate()",
]);
writeFileSync(path.join(root, 'dist', 'build-info.json'), `${JSON.stringify({ sourceTime })}\n`);
