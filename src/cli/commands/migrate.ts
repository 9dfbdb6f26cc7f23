import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { migrateUp, migrationStatus } from '../../db/migrate.ts';
import { openConfiguredDatabase } from '../../ops/database.ts';

async function withDatabase<T>(
  command: string,
  fn: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>['db']) => Promise<T>,
): Promise<T> {
  const { db, lock } = await openConfiguredDatabase(loadConfig(), command);
  try {
    return await fn(db);
  } finally {
    await db.close();
    lock?.release();
  }
}

export function registerMigrate(program: Command): void {
  const migrate = program.command('migrate').description('database migrations');
  migrate
    .command('up', { isDefault: true })
    .description('apply every pending migration')
    .action(() =>
      withDatabase('vioscan migrate up', async (db) => {
        const applied = await migrateUp(db);
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date.\n');
      }),
    );
  migrate
    .command('status')
    .description('list migrations and whether each is applied')
    .action(() =>
      withDatabase('vioscan migrate status', async (db) => {
        for (const m of await migrationStatus(db)) {
          process.stdout.write(
            `${m.applied ? 'applied' : 'pending'}  ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ''}\n`,
          );
        }
      }),
    );
}
