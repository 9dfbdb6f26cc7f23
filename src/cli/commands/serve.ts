import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { terminalLogger } from '../../log.ts';
import { acquireDataDirLock, LOCK_ENV } from '../../ops/data-dir-lock.ts';
import type { Role } from '../../ops/runtime.ts';
import { supervise } from '../../ops/supervisor.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(COMMAND_SUMMARIES.serve)
    .option('--no-worker', 'PostgreSQL mode: do not start a job worker process beside the web processes')
    .action(async (opts: { worker: boolean }) => {
      const config = loadConfig();
      const logger = terminalLogger(config.logLevel, {
        isTTY: Boolean(process.stdout.isTTY),
        color: !process.env.NO_COLOR,
      });
      if (cluster.isWorker) {
        await (
          await import('../../ops/server-process.ts')
        ).runServerProcess(config, logger, (process.env.VIOSCAN_ROLE as Role | undefined) ?? 'all');
        return;
      }
      const env: Record<string, string> = {};
      let children: { role: Role; count: number }[];
      let onExit: (() => void) | undefined;
      if (config.engine === 'pglite') {
        // PGlite belongs to one process: web, jobs and scheduler share one supervised child.
        const lock = acquireDataDirLock(config.dataDir, 'vioscan serve');
        env[LOCK_ENV] = lock.token;
        onExit = lock.release;
        children = [{ role: 'all', count: 1 }];
      } else {
        children = [{ role: 'web', count: config.webConcurrency }];
        if (opts.worker) children.push({ role: 'worker', count: 1 });
      }
      supervise({
        children,
        env,
        shutdownTimeoutMs: config.shutdownTimeoutMs,
        logger,
        ...(onExit ? { onExit } : {}),
      });
    });
}
