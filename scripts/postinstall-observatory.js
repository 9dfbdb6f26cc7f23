// Gives the MDN HTTP Observatory (dev dependency, bench/observatory.ts) the data file its scanner
// reads. Its own postinstall downloads Chromium's HSTS preload list from GitHub and, offline, only
// logs the failure, leaving conf/hsts-preload.json missing — and its HSTS and redirection tests
// then throw. We give it VIOscan's own snapshot (rules/hsts-preload.txt) in its format, so both
// tools judge by the same list; a list Observatory did download is kept. Production installs
// (--omit=dev) have no Observatory: nothing to do. See docs/scoring.md ("Parity benchmark").
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  const ours = new URL('../rules/hsts-preload.txt', import.meta.url);
  const list = {};
  for (const line of readFileSync(ours, 'utf8').split('\n')) {
    const [name, flag] = line.trim().split(' ');
    if (name) list[name] = { mode: 'force-https', includeSubDomains: flag === 'include_subdomains' };
  }
  writeFileSync(preload, JSON.stringify(list));
  process.stdout.write(
    `vioscan: gave Observatory VIOscan's HSTS preload snapshot, ${Object.keys(list).length} names (${preload})\n`,
  );
}
