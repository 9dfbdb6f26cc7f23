import type { BackupManifest } from './manifest.ts';
/** Runs one SQL statement and returns its rows; adapts a pg client, a PGlite instance or a held Kysely connection. */
export type Query = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface DatabaseFacts {
  migration: string | null;
  rowCounts: Record<string, number>;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/** The newest applied migration and exact row counts of every table in schema. */
export async function databaseFacts(query: Query, schema: string): Promise<DatabaseFacts> {
  const tables = await query(
    `select table_name from information_schema.tables
      where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
    [schema],
  );
  const rowCounts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const name = String(table_name);
    const [row] = await query(`select count(*)::bigint as n from ${quoteIdent(schema)}.${quoteIdent(name)}`);
    rowCounts[name] = Number(row?.n ?? 0);
  }
  let migration: string | null = null;
  if ('kysely_migration' in rowCounts) {
    const [row] = await query(
      `select name from ${quoteIdent(schema)}.kysely_migration order by name desc limit 1`,
    );
    migration = row ? String(row.name) : null;
  }
  return { migration, rowCounts };
}

/** Tables holding rows, other than the migration bookkeeping: what a restore would destroy. */
export function occupiedTables(facts: DatabaseFacts): string[] {
  return Object.entries(facts.rowCounts)
    .filter(([table, n]) => n > 0 && !MIGRATION_TABLES.has(table))
    .map(([table, n]) => `${table} (${n} row${n === 1 ? '' : 's'})`);
}

export interface FactCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Compares a restored database with what its manifest promised. */
export function compareFacts(expected: DatabaseFacts, actual: DatabaseFacts): FactCheck[] {
  const checks: FactCheck[] = [
    {
      name: 'migration',
      ok: expected.migration === actual.migration,
      detail: `expected ${expected.migration ?? 'none'}, found ${actual.migration ?? 'none'}`,
    },
  ];
  const tables = new Set([...Object.keys(expected.rowCounts), ...Object.keys(actual.rowCounts)]);
  const differences = [...tables]
    .sort()
    .filter((t) => expected.rowCounts[t] !== actual.rowCounts[t])
    .map(
      (t) =>
        `${t}: expected ${expected.rowCounts[t] ?? 'no table'}, found ${actual.rowCounts[t] ?? 'no table'}`,
    );
  checks.push({
    name: 'row-counts',
    ok: differences.length === 0,
    detail: differences.length ? differences.join('; ') : `${tables.size} tables match`,
  });
  return checks;
}

/** A restored copy handed to each drill check (ops/backup/drill.ts); it is thrown away after the drill. */
export interface RestoredCopy {
  manifest: BackupManifest;
  schema: string;
  query: Query;
}

export type DrillCheck = (copy: RestoredCopy) => Promise<FactCheck>;
