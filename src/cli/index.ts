import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.ts';
import { COMMAND_SUMMARIES } from './summaries.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from '../version.ts';

/** Exit codes: 0 fine, 1 findings at or above --fail-on, 2 usage error, 3 the command itself failed. */
const program = new Command('vioscan')
  .description('Website security & privacy scanner')
  .version(VERSION)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

type Register = (program: Command) => void;

/**
 * Each command's module is loaded only when that command runs (or for its own help), so a
 * short command does not pay for the server, the scanner and every job at start-up.
 */
const commands: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  worker: async () => (await import('./commands/worker.ts')).registerWorker,
  migrate: async () => (await import('./commands/migrate.ts')).registerMigrate,
  admin: async () => (await import('./commands/admin.ts')).registerAdmin,
  scan: async () => (await import('./commands/scan.ts')).registerScan,
  audit: async () => (await import('./commands/audit.ts')).registerAudit,
  keys: async () => (await import('./commands/keys.ts')).registerKeys,
  backup: async () => (await import('./commands/backup.ts')).registerBackup,
  rules: async () => (await import('./commands/rules.ts')).registerRules,
  deps: async () => (await import('./commands/deps.ts')).registerDeps,
  'self-scan': async () => (await import('./commands/self-scan.ts')).registerSelfScan,
};

const [first, second] = process.argv.slice(2);
const requested = first === 'help' ? second : first;
if (requested && Object.hasOwn(commands, requested)) {
  (await commands[requested]!())(program);
} else {
  // The full help, `--version` or an unknown command: list every command from its summary alone.
  for (const [name, summary] of Object.entries(COMMAND_SUMMARIES)) program.command(name).description(summary);
}

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
