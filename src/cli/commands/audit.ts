import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { describeVerify, verifyAuditChain } from '../../modules/audit/service.ts';
import { openConfiguredDatabase } from '../../ops/database.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

/** `vioscan audit verify`: exit 0 when the chain is intact, 1 when a link is broken (named on stderr). */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description(COMMAND_SUMMARIES.audit);
  audit
    .command('verify')
    .description('check the whole hash chain and name the first broken link')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const { db, lock } = await openConfiguredDatabase(loadConfig(), 'vioscan audit verify');
      try {
        const result = await verifyAuditChain(db);
        const text = options.json ? JSON.stringify(result) : describeVerify(result);
        (result.ok ? process.stdout : process.stderr).write(`${text}\n`);
        process.exitCode = result.ok ? 0 : 1;
      } finally {
        await db.close();
        lock?.release();
      }
    });
}
