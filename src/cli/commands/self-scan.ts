import type { Command } from 'commander';
import { migrateUp } from '../../db/migrate.ts';
import { createLogger } from '../../log.ts';
import { runSelfScan } from '../../modules/self-scan/run.ts';
import { closeBrowserPool } from '../../scanner/browser/index.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';
import { withDatabase } from './backup.ts';

/**
 * `vioscan self-scan`: the scheduled self-scan (src/jobs/self-scan.ts) now, from the terminal.
 * Exit 0 when the scan finished without regressing, 1 when it failed or regressed (staff were alerted).
 */
export function registerSelfScan(program: Command): void {
  program
    .command('self-scan')
    .description(COMMAND_SUMMARIES['self-scan'])
    .option('--json', 'print the stored result as JSON')
    .action((opts: { json?: boolean }) =>
      withDatabase('vioscan self-scan', async (db, config) => {
        await migrateUp(db);
        const logger = createLogger(config.logLevel, process.stderr);
        try {
          const { row, regressions, delivery } = await runSelfScan({ db, config, logger });
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ ...row, regressions, delivery }, null, 2)}\n`);
          } else {
            const result =
              row.status === 'failed'
                ? `failed: ${row.error_message ?? 'unknown reason'}`
                : `grade ${row.grade} (score ${row.score})${row.browser ? ', with the browser stage' : ''}`;
            const lines = regressions.map((r) => `  - ${r.kind}: ${r.from ?? '–'} → ${r.to} (${r.detail})`);
            process.stdout.write(
              `Self-scan of ${row.target}: ${result}\n` +
                (lines.length
                  ? `Regressed since the previous self-scan (alert: webhook ${delivery?.webhook}, email ${delivery?.email}):\n${lines.join('\n')}\n`
                  : 'No regression since the previous self-scan.\n'),
            );
          }
          if (row.status === 'failed' || regressions.length) process.exitCode = 1;
        } finally {
          await closeBrowserPool();
        }
      }),
    );
}
