import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.ts';
import { registerAudit } from './commands/audit.ts';
import { registerKeys } from './commands/keys.ts';
import { registerBackup } from './commands/backup.ts';
import { registerAdmin } from './commands/admin.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerServe } from './commands/serve.ts';
import { registerWorker } from './commands/worker.ts';
import { registerScan } from './commands/scan.ts';
import { UsageError } from './usage-error.ts';

/** Exit codes: 0 fine, 1 findings at or above --fail-on, 2 usage error, 3 the command itself failed. */
const program = new Command('vioscan')
  .description('Website security & privacy scanner')
  .version(process.env.npm_package_version ?? '0.1.0')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

registerServe(program);
registerWorker(program);
registerMigrate(program);
registerAdmin(program);
registerScan(program);
registerAudit(program);
registerKeys(program);
registerBackup(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError || error instanceof UsageError) {
    process.stderr.write(`vioscan: ${error.message}\n`);
    process.exitCode = error instanceof ConfigError ? 3 : 2;
  } else {
    process.stderr.write(`vioscan: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  }
  // A failed command may leave timers or handles behind (a half-open database): never linger.
  if (process.exitCode) process.exit();
}
