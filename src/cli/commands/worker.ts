import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { terminalLogger } from '../../log.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(COMMAND_SUMMARIES.worker)
    .action(async () => {
      const config = loadConfig();
      await (
        await import('../../ops/server-process.ts')
      ).runServerProcess(
        config,
        terminalLogger(config.logLevel, {
          isTTY: Boolean(process.stdout.isTTY),
          color: !process.env.NO_COLOR,
        }),
        'worker',
      );
    });
}
