import type { Command } from 'commander';
import { loadConfig, type ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { migrateUp, migrationStatus } from '../../db/migrate.ts';
import { openConfiguredDatabase } from '../../ops/database.ts';
import { UsageError } from '../usage-error.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

async function withDatabase<T>(
  command: string,
  fn: (db: Database, config: ResolvedConfig) => Promise<T>,
  config = loadConfig(),
): Promise<T> {
  const { db, lock } = await openConfiguredDatabase(config, command);
  try {
    return await fn(db, config);
  } finally {
    await db.close();
    lock?.release();
  }
}

/**
 * Creates the job queues (their partitions are tables the service may not create) and grants the
 * application role its privileges (docs/trust.md "Database roles"). Loaded only when it runs:
 * the job definitions pull in the scanner.
 */
async function grantRole(db: Database, config: ResolvedConfig, role: string): Promise<void> {
  const [{ grantAppRole, describeGrant, AppRoleError }, { startJobs }, { createQueues }, { createLogger }] =
    await Promise.all([
      import('../../db/app-role.ts'),
      import('../../jobs/boss.ts'),
      import('../../jobs/index.ts'),
      import('../../log.ts'),
    ]);
  const jobs = await startJobs(db, { supervise: false, logger: createLogger(config.logLevel) });
  try {
    await createQueues(jobs);
  } finally {
    await jobs.stop();
  }
  try {
    process.stdout.write(`${describeGrant(await grantAppRole(db, role))}\n`);
  } catch (error) {
    if (error instanceof AppRoleError) throw new UsageError(error.message);
    throw error;
  }
}

const pgliteRefusal =
  'migrate grant works on PostgreSQL only: the embedded engine (PGlite) has a single user, so there is no application role to restrict. Set DATABASE_URL to the PostgreSQL database (as its owner).';

export function registerMigrate(program: Command): void {
  const migrate = program.command('migrate').description(COMMAND_SUMMARIES.migrate);
  migrate
    .command('up', { isDefault: true })
    .description('apply every pending migration (and, with DATABASE_APP_ROLE, grant that role again)')
    .action(() =>
      withDatabase('vioscan migrate up', async (db, config) => {
        const applied = await migrateUp(db);
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date.\n');
        // A new table stays closed to the application role until it is granted: do it now.
        if (config.databaseAppRole && db.engine === 'postgres')
          await grantRole(db, config, config.databaseAppRole);
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
  migrate
    .command('grant [role]')
    .description(
      'PostgreSQL, as the owner: migrate, then grant the application role (default DATABASE_APP_ROLE) exactly what the service needs; audit_log stays append-only',
    )
    .action((roleArg: string | undefined) => {
      const config = loadConfig();
      if (config.engine !== 'postgres') throw new UsageError(pgliteRefusal);
      const role = roleArg ?? config.databaseAppRole;
      if (!role)
        throw new UsageError('name the role: vioscan migrate grant <role>, or set DATABASE_APP_ROLE');
      return withDatabase(
        'vioscan migrate grant',
        async (db) => {
          const applied = await migrateUp(db);
          if (applied.length) process.stdout.write(`Applied: ${applied.join(', ')}\n`);
          await grantRole(db, config, role);
        },
        config,
      );
    });
}
