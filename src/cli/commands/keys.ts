import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { rotateSupportKeys } from '../../modules/support/service.ts';
import { openConfiguredDatabase } from '../../ops/database.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

/** `vioscan keys rotate`: re-encrypt support messages to the last key of SUPPORT_KEYS. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description(COMMAND_SUMMARIES.keys);
  keys
    .command('rotate')
    .description('re-encrypt every support message to the current (last) key of SUPPORT_KEYS')
    .action(async () => {
      const { db, lock } = await openConfiguredDatabase(loadConfig(), 'vioscan keys rotate');
      try {
        const result = await rotateSupportKeys(db, loadConfig());
        process.stdout.write(`Re-encrypted ${result.resealed} support messages to key ${result.keyId}.\n`);
      } finally {
        await db.close();
        lock?.release();
      }
    });
}
