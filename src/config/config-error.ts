/**
 * A configuration that does not validate: every problem at once (load.ts). In a file of its own so
 * the CLI entry can recognise it without loading the schema and its validator (zod) for `--help`.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
