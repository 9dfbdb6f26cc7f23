import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataInventory, notPersonalData } from '../../../src/modules/privacy/inventory.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';

/** Tables the data inventory names, in a class's storage or in the technical-state list. */
const classified = new Set([
  ...dataInventory.flatMap((c) => c.storage.map((s) => s.table)),
  ...Object.keys(notPersonalData),
]);

describe('data inventory', () => {
  it('gives every technical-state table a reason and classifies no table twice', () => {
    for (const [table, reason] of Object.entries(notPersonalData))
      expect(reason.length, table).toBeGreaterThan(10);
    const stored = dataInventory.flatMap((c) => c.storage.map((s) => s.table));
    for (const table of stored) expect(Object.keys(notPersonalData), table).not.toContain(table);
    expect(new Set(dataInventory.map((c) => c.id)).size).toBe(dataInventory.length);
  });

  it('purges only tables that its classes list as storage', () => {
    for (const c of dataInventory)
      for (const rule of c.purge)
        expect(
          dataInventory.some((d) => d.storage.some((s) => s.table === rule.table)),
          `${c.id}: ${rule.table}`,
        ).toBe(true);
  });
});

describe.each(engines)('data inventory coverage on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(async () => db.close());

  const tables = async () =>
    (
      await sql<{ table_name: string }>`
        select table_name from information_schema.tables
         where table_schema = current_schema() and table_type = 'BASE TABLE'
         order by table_name`.execute(db.kysely)
    ).rows.map((r) => r.table_name);

  const columns = async (table: string) =>
    (
      await sql<{ column_name: string }>`
        select column_name from information_schema.columns
         where table_schema = current_schema() and table_name = ${table}`.execute(db.kysely)
    ).rows.map((r) => r.column_name);

  it('names every table of the migrated schema, so a new unclassified table fails here', async () => {
    const all = await tables();
    // The schema is really there (the migrations ran), not an empty list that passes vacuously.
    expect(all).toEqual(expect.arrayContaining(['users', 'sessions', 'kysely_migration', 'stripe_events']));
    expect(all.filter((t) => !classified.has(t))).toEqual([]);
  });

  it('names no table or column that does not exist', async () => {
    const all = new Set(await tables());
    for (const table of Object.keys(notPersonalData)) expect(all.has(table), table).toBe(true);
    for (const c of dataInventory)
      for (const s of c.storage) {
        if (s.table.startsWith('files:')) continue;
        expect(all.has(s.table), `${c.id}: ${s.table}`).toBe(true);
        const have = await columns(s.table);
        for (const column of s.columns) expect(have, `${c.id}: ${s.table}.${column}`).toContain(column);
      }
  });

  it('fails for a table that a migration adds without classifying it', async () => {
    await sql`create table unclassified_probe (id integer primary key, email text)`.execute(db.kysely);
    try {
      expect((await tables()).filter((t) => !classified.has(t))).toEqual(['unclassified_probe']);
    } finally {
      await sql`drop table unclassified_probe`.execute(db.kysely);
    }
  });
});
