// Builds the web app after `npm ci` / `npm install`, so `npm start` on a fresh clone serves it.
// A production install without dev dependencies (npm ci --omit=dev) has no Vite: it then skips,
// and the image must ship a web/dist built beforehand (see docs/web.md).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
try {
  require.resolve('vite/package.json');
} catch {
  process.stdout.write('vioscan: vite is not installed (production install); skipping the web build\n');
  process.exit(0);
}
const result = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
