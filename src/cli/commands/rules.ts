import type { Command } from 'commander';
import { parseConfig } from '../../config/load.ts';
import { classifierOptionsFor } from '../../scanner/browser/classify.ts';
import {
  RulesInputError,
  rulesStatus,
  updateRules,
  type DataId,
} from '../../scanner/browser/rules-update.ts';
import { UsageError } from '../usage-error.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

/**
 * `vioscan rules update|status`: refresh the tracker lists and the owner map from local files into
 * RULES_DIR, and show what the browser scan uses (docs/third-party-data.md). Only the environment is
 * read (no database, no secrets).
 */
export function registerRules(program: Command): void {
  const rules = program.command('rules').description(COMMAND_SUMMARIES.rules);
  const rulesDir = () => classifierOptionsFor(parseConfig(process.env)).rulesDir;

  rules
    .command('update')
    .description(
      'install a newer EasyPrivacy, EasyList, owner map or HSTS preload list from a local file (validated first)',
    )
    .requiredOption(
      '--from <file>',
      "the list (Adblock Plus text), owner map (JSON) or Chromium's transport_security_state_static.json",
    )
    .option('--list <id>', 'easyprivacy, easylist, owners or hsts-preload (default: read from the file)')
    .option('--date <YYYY-MM-DD>', "the content's date (default: its Last modified header, or today)")
    .action((flags: { from: string; list?: string; date?: string }) => {
      const dir = rulesDir();
      try {
        const result = updateRules(dir, flags.from, {
          list: flags.list as DataId | undefined,
          date: flags.date,
        });
        process.stdout.write(
          `Installed ${result.id} (${result.detail}, dated ${result.date}) to ${result.path}\nSHA-256 ${result.sha256}\n`,
        );
      } catch (error) {
        if (error instanceof RulesInputError)
          throw new UsageError(`rules update: ${error.message} (nothing was changed)`);
        throw error;
      }
    });

  rules
    .command('status')
    .description('show which lists the scanner uses, with their dates')
    .action(() => {
      const dir = rulesDir();
      const lines = rulesStatus(dir).map(
        (s) =>
          `${s.name.padEnd(26)} ${s.date}  ${s.origin === 'operator' ? `operator copy ${s.path}` : 'shipped snapshot'}`,
      );
      process.stdout.write(`Rules directory: ${dir}\n${lines.join('\n')}\n`);
    });
}
