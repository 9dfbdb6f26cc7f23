// The CycloneDX SBOM of the production dependencies, as package-lock.json pins them.
// `npm sbom --omit dev` drops production packages that development tools also depend on (fastify,
// pino and undici among them, npm 11), so npm describes the whole tree and this keeps the components
// the lock file does not mark dev-only. Used by scripts/build.js (dist/sbom.json) and, in a checkout
// that was never built, by src/ops/sbom.ts; run directly it prints the document.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** `name@version` of every package the lock file installs for production. */
export function productionPackages(lock) {
  const keep = new Set();
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    // Only installed packages: the root and the local folders links point at are not.
    const at = where.lastIndexOf('node_modules/');
    if (at < 0 || entry.dev || entry.link || !entry.version) continue;
    const name = entry.name ?? where.slice(at + 'node_modules/'.length);
    keep.add(`${name}@${entry.version}`);
  }
  return keep;
}

/** The npm document narrowed to `keep`: components and the dependency graph between them. */
export function narrowSbom(bom, keep) {
  const kept = (ref) => keep.has(ref);
  const root = bom.metadata?.component?.['bom-ref'];
  return {
    ...bom,
    components: bom.components.filter((c) => kept(`${c.name}@${c.version}`)),
    dependencies: (bom.dependencies ?? [])
      .filter((d) => d.ref === root || kept(d.ref))
      .map((d) => ({ ...d, dependsOn: (d.dependsOn ?? []).filter(kept) })),
  };
}

export function productionSbom(root) {
  const npm = spawnSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--package-lock-only'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (npm.status !== 0) throw new Error(`npm sbom failed with status ${npm.status}`);
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  return narrowSbom(JSON.parse(npm.stdout), productionPackages(lock));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  process.stdout.write(`${JSON.stringify(productionSbom(process.argv[2] ?? process.cwd()), null, 2)}\n`);
}
