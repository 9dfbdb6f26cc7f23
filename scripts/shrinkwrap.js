// prepack / postpack: the packed package carries the lockfile as npm-shrinkwrap.json, so an
// install of the tarball (npm i -g, npx) gets exactly the dependency versions the tests ran with
// and can take them from the npm cache. The repository keeps package-lock.json alone.
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const root = path.resolve(import.meta.dirname, '..');
const shrinkwrap = path.join(root, 'npm-shrinkwrap.json');
if (process.argv[2] === 'remove') rmSync(shrinkwrap, { force: true });
else copyFileSync(path.join(root, 'package-lock.json'), shrinkwrap);
