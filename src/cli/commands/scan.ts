import type { Command } from 'commander';

// Placeholder wiring; the scanner issue fills this command in.
export function registerScan(program: Command): void {
  program.command('scan <url...>').description('scan websites for security and privacy problems');
}
