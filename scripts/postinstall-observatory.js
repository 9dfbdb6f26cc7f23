// Gives the MDN HTTP Observatory (dev dependency, bench/observatory.ts) the data file its scanner
// reads. Its own postinstall downloads Chromium's HSTS preload list from GitHub and, offline, only
// logs the failure, leaving conf/hsts-preload.json missing — and its HSTS and redirection tests
// then throw. The bench scans loopback names only, none of which is preloaded, so an empty list
// gives the same results; a list Observatory did download is kept. Production installs
// (--omit=dev) have no Observatory: nothing to do. See docs/scoring.md ("Parity benchmark").
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);
let root;
try {
  root = path.dirname(require.resolve('@mdn/mdn-http-observatory/package.json'));
} catch {
  process.exit(0);
}
const preload = path.join(root, 'conf', 'hsts-preload.json');
if (!existsSync(preload)) {
  writeFileSync(preload, '{}\n');
  process.stdout.write(`vioscan: wrote an empty HSTS preload list for Observatory (${preload})\n`);
}
