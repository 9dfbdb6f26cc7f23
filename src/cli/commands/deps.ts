import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseConfig } from '../../config/load.ts';
import {
  advisoryUrl,
  checkAdvisories,
  lockedPackages,
  type NpmLockfile,
} from '../../modules/advisories/check.ts';
import { runningLockfile } from '../../ops/sbom.ts';
import { SEVERITY_ORDER } from '../../scanner/severity.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

const packages = (n: number) => `${n} package${n === 1 ? '' : 's'}`;
const UNREACHABLE_BANNER = '*** advisory source unreachable, not checked ***';

/**
 * `vioscan deps audit`: the locked production dependencies (this installation's lock file, or --lockfile) against
 * OSV_URL. Exit 1 on a known critical advisory; an advisory source that does not answer is not a
 * clean bill of health, so it is said loudly on stderr, but exits 0: CI machines may reach only
 * the npm registry, and a build must not fail for that (docs/ci.md).
 */
export function registerDeps(program: Command): void {
  const deps = program.command('deps').description(COMMAND_SUMMARIES.deps);
  deps
    .command('audit')
    .description(
      'check the locked production dependencies against the OSV database; exit 1 on a critical advisory',
    )
    .option('--lockfile <file>', "an npm lock file to check instead of this installation's own")
    .option('--json', 'print the result as JSON')
    .action(async (options: { lockfile?: string; json?: boolean }) => {
      const { osvUrl } = parseConfig(process.env);
      const lock = options.lockfile
        ? (JSON.parse(await readFile(options.lockfile, 'utf8')) as unknown)
        : await runningLockfile();
      const result = await checkAdvisories(osvUrl, lockedPackages(lock as NpmLockfile));
      const critical = result.ok ? result.advisories.filter((a) => a.severity === 'critical') : [];
      process.exitCode = critical.length ? 1 : 0;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        if (!result.ok) process.stderr.write(`${UNREACHABLE_BANNER}\n`);
        return;
      }
      if (!result.ok) {
        process.stderr.write(
          `\n${UNREACHABLE_BANNER}\n${result.source} did not answer (${result.error}).\n` +
            `${packages(result.packages)} were NOT checked for known vulnerabilities; run \`vioscan deps audit\` where ${result.source} is reachable.\n\n`,
        );
        return;
      }
      const sorted = [...result.advisories].sort(
        (a, b) =>
          SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
          a.package.localeCompare(b.package),
      );
      for (const a of sorted)
        process.stdout.write(
          `${a.severity.toUpperCase().padEnd(8)} ${a.advisoryId} ${a.package}@${a.version}` +
            ` (${a.fixedIn.length ? `fixed in ${a.fixedIn.join(', ')}` : 'no fix published'}): ${a.summary}\n         ${advisoryUrl(a.advisoryId)}\n`,
        );
      const counts = SEVERITY_ORDER.filter((s) => s !== 'info')
        .map((s) => `${result.advisories.filter((a) => a.severity === s).length} ${s}`)
        .join(', ');
      process.stdout.write(`${packages(result.packages)} checked against ${result.source}: ${counts}.\n`);
      if (critical.length)
        process.stderr.write(
          `vioscan: ${critical.length} critical advisor${critical.length === 1 ? 'y' : 'ies'}: fix within 1 day (docs/operations.md#dependencies-and-updates)\n`,
        );
    });
}
