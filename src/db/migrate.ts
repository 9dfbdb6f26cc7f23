import {
  Migrator,
  sql,
  type DatabaseIntrospector,
  type Kysely,
  type MigrationResultSet,
  type TableMetadata,
} from 'kysely';
import type { Database } from './kysely.ts';
import { migrations } from './migrations/index.ts';

/**
 * Kysely's PostgreSQL introspector reads the columns of every schema in the database and looks
 * each table up again by name (pg_get_serial_sequence), so it fails with "schema … does not exist"
 * when another schema on the same server is dropped meanwhile (parallel test schemas, or another
 * instance sharing the database). The migrator only asks whether its own tables exist: answer that
 * from our schema alone.
 */
function ownSchemaIntrospection(db: Database): DatabaseIntrospector {
  const getTables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; isView: boolean }>`
      select c.relname as name, c.relkind = 'v' as "isView"
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${db.schema} and c.relkind in ('r', 'p', 'v')`.execute(db.kysely);
    return rows.map((r) => ({ name: r.name, isView: r.isView, schema: db.schema, columns: [] }));
  };
  return {
    getSchemas: () => db.kysely.introspection.getSchemas(),
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  };
}

/** The application's Kysely instance, but with the introspection above. */
function withOwnSchemaIntrospection(db: Database): Kysely<unknown> {
  const introspection = ownSchemaIntrospection(db);
  return new Proxy(db.kysely, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: its methods must run on the real instance.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Kysely<unknown>;
}

/** The application's migrator: its own migrations, its own schema's migration table. */
export function migrator(db: Database): Migrator {
  return new Migrator({
    db: withOwnSchemaIntrospection(db),
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
