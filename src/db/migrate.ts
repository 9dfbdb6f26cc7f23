import {
  DEFAULT_MIGRATION_TABLE,
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

/**
 * True when the migration table lists exactly our migrations: the common case at every
 * start, answered by one query instead of the migrator's introspection, lock table and per-name
 * checks. Anything else (no table yet, one pending, one this build does not know) goes to the
 * migrator, which applies or refuses as before.
 */
async function upToDate(db: Database): Promise<boolean> {
  const table = `${db.schema}.${DEFAULT_MIGRATION_TABLE}`;
  // to_regclass rather than a select that fails: an error would abort a surrounding transaction.
  const lookup = await sql<{ oid: string | null }>`select to_regclass(${table}) as oid`.execute(db.kysely);
  if (!lookup.rows[0]?.oid) return false;
  const applied = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db.kysely);
  const expected = new Set(Object.keys(migrations));
  return applied.rows.length === expected.size && applied.rows.every((r) => expected.has(r.name));
}

export async function migrateUp(db: Database): Promise<string[]> {
  if (await upToDate(db)) return [];
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
