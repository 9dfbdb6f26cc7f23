import type { Command } from 'commander';
import { loadConfig, type ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { migrateUp } from '../../db/migrate.ts';
import {
  backupOptions,
  createBackup,
  listManifests,
  pruneBackups,
  restoreBackup,
  runDrill,
  type BackupManifest,
} from '../../ops/backup/index.ts';
import { openConfiguredDatabase, pgliteDir } from '../../ops/database.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

/** Opens the configured database (refused on the embedded engine while `vioscan serve` owns DATA_DIR). */
export async function withDatabase<T>(
  command: string,
  fn: (db: Database, config: ResolvedConfig) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const { db, lock } = await openConfiguredDatabase(config, command);
  try {
    return await fn(db, config);
  } finally {
    await db.close();
    lock?.release();
  }
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function totalRows(manifest: BackupManifest): number {
  return Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);
}

export function registerBackup(program: Command): void {
  const backup = program.command('backup').description(COMMAND_SUMMARIES.backup);

  backup
    .command('create')
    .description('dump, encrypt and checksum the database into BACKUP_DIR, then apply retention')
    .action(() =>
      withDatabase('vioscan backup create', async (db, config) => {
        await migrateUp(db);
        const options = backupOptions(db, config);
        const manifest = await createBackup(options);
        const removed = await pruneBackups(options);
        process.stdout.write(
          `Created backup ${manifest.id} (${sizeText(manifest.ciphertext.bytes)}, ${totalRows(manifest)} rows, ` +
            `${manifest.durationMs} ms) in ${config.backupDir}\n` +
            (removed.length ? `Removed by retention: ${removed.join(', ')}\n` : ''),
        );
      }),
    );

  backup
    .command('list')
    .description('list the backups in BACKUP_DIR, newest first')
    .option('--json', 'print the manifests as JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const manifests = await listManifests(config.backupDir);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(manifests, null, 2)}\n`);
        return;
      }
      if (!manifests.length) {
        process.stdout.write(`No backups in ${config.backupDir}\n`);
        return;
      }
      for (const m of manifests) {
        process.stdout.write(
          `${m.id}  ${m.createdAt}  ${m.engine.padEnd(8)}  ${sizeText(m.ciphertext.bytes).padStart(10)}  ` +
            `${String(totalRows(m)).padStart(9)} rows  ${m.migration ?? '-'}  key ${m.encryption.keyId}\n`,
        );
      }
    });

  backup
    .command('restore <id>')
    .description('restore a backup into an empty database (stop the service first)')
    .option('--force', 'replace a database that already holds data')
    .action((id: string, opts: { force?: boolean }) =>
      withDatabase('vioscan backup restore', async (db, config) => {
        // The embedded files are replaced wholesale, so our own handle closes first; the lock stays held.
        if (db.engine === 'pglite') await db.close();
        const manifest = await restoreBackup({
          backupDir: config.backupDir,
          backupKey: config.backupKey,
          id,
          force: opts.force ?? false,
          target:
            db.engine === 'postgres'
              ? { engine: 'postgres', databaseUrl: config.databaseUrl!, schema: db.schema }
              : { engine: 'pglite', dir: pgliteDir(config), schema: db.schema },
        });
        process.stdout.write(
          `Restored backup ${manifest.id} (${manifest.createdAt}, ${totalRows(manifest)} rows, migration ${manifest.migration ?? '-'})\n`,
        );
      }),
    );

  backup
    .command('drill')
    .description('restore the latest backup into a scratch database, check it and record the recovery time')
    .option('--id <id>', 'drill this backup instead of the latest')
    .action((opts: { id?: string }) =>
      withDatabase('vioscan backup drill', async (db, config) => {
        await migrateUp(db);
        const result = await runDrill(backupOptions(db, config), opts.id);
        for (const check of result.checks)
          process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}\n`);
        process.stdout.write(
          `Drill of ${result.backupId ?? '(no backup)'}: ${result.ok ? 'passed' : 'FAILED'}, ` +
            `RTO ${result.rtoSeconds.toFixed(2)} s${result.error ? `\n${result.error}` : ''}\n`,
        );
        if (!result.ok) process.exitCode = 3;
      }),
    );
}
