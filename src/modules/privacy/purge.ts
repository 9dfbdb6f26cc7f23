import { sql } from 'kysely';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { dataInventory, type DataClass, type PurgeRule } from './inventory.ts';

export interface PurgeOutcome {
  classId: string;
  table: string;
  action: PurgeRule['action'];
  days: number;
  /** Rows deleted or cleared; null when skipped. */
  affected: number | null;
  skipped?: 'table missing' | 'column missing';
}

async function columnsOf(db: Database, table: string): Promise<Set<string> | undefined> {
  const result = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
     where table_schema = current_schema() and table_name = ${table}`.execute(db.kysely);
  return result.rows.length ? new Set(result.rows.map((r) => r.column_name)) : undefined;
}

async function apply(db: Database, rule: PurgeRule, days: number): Promise<number> {
  // Identifiers come from the inventory (constants), never from input; the period is a parameter.
  const cutoff = sql`now() - make_interval(days => ${days})`;
  const table = sql.table(rule.table);
  const olderThan = sql.ref(rule.olderThan);
  if (rule.action === 'delete') {
    const only = rule.onlyWhere
      ? sql` and ${sql.ref(rule.onlyWhere.column)} in (${sql.join(rule.onlyWhere.values)})`
      : sql``;
    const result = await sql`delete from ${table} where ${olderThan} < ${cutoff}${only}`.execute(db.kysely);
    return Number(result.numAffectedRows ?? 0);
  }
  const set = sql.join(rule.columns.map((c) => sql`${sql.ref(c)} = null`));
  const anySet = sql.join(
    rule.columns.map((c) => sql`${sql.ref(c)} is not null`),
    sql` or `,
  );
  const result = await sql`update ${table} set ${set} where ${olderThan} < ${cutoff} and (${anySet})`.execute(
    db.kysely,
  );
  return Number(result.numAffectedRows ?? 0);
}

/** Applies every purge rule of the inventory; what it did is recorded in retention_runs. */
export async function runRetentionPurge(
  db: Database,
  config: ResolvedConfig,
  inventory: DataClass[] = dataInventory,
): Promise<PurgeOutcome[]> {
  const outcomes: PurgeOutcome[] = [];
  for (const dataClass of inventory) {
    for (const rule of dataClass.purge) {
      const days = rule.days(config);
      const base = { classId: dataClass.id, table: rule.table, action: rule.action, days };
      const columns = await columnsOf(db, rule.table);
      const needed =
        rule.action === 'clear'
          ? [rule.olderThan, ...rule.columns]
          : [rule.olderThan, ...(rule.onlyWhere ? [rule.onlyWhere.column] : [])];
      if (!columns) outcomes.push({ ...base, affected: null, skipped: 'table missing' });
      else if (!needed.every((c) => columns.has(c)))
        outcomes.push({ ...base, affected: null, skipped: 'column missing' });
      else outcomes.push({ ...base, affected: await apply(db, rule, days) });
    }
  }
  await db.kysely
    .insertInto('retention_runs')
    .values({ results: JSON.stringify(outcomes) })
    .execute();
  return outcomes;
}

export async function lastPurge(db: Database): Promise<{ ranAt: string; results: PurgeOutcome[] } | null> {
  const row = await db.kysely
    .selectFrom('retention_runs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { ranAt: row.ran_at.toISOString(), results: JSON.parse(row.results) as PurgeOutcome[] } : null;
}
