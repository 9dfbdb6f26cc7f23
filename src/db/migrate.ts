import { Migrator, type MigrationResultSet } from 'kysely';
import type { Database } from './kysely.ts';
import { migrations } from './migrations/index.ts';

function migrator(db: Database): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: db.schema,
  });
}

export async function migrateUp(db: Database): Promise<string[]> {
  const { error, results }: MigrationResultSet = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface MigrationStatus {
  name: string;
  applied: boolean;
  executedAt?: Date;
}

export async function migrationStatus(db: Database): Promise<MigrationStatus[]> {
  const list = await migrator(db).getMigrations();
  return list.map((m) => ({
    name: m.name,
    applied: m.executedAt !== undefined,
    ...(m.executedAt ? { executedAt: m.executedAt } : {}),
  }));
}
