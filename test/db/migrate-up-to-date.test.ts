import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateUp, migrator } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';

const names = Object.keys(migrations);
const last = names.at(-1)!;

async function lockTableExists(db: TestDatabase): Promise<boolean> {
  const { rows } = await sql<{ oid: string | null }>`
    select to_regclass(${`${db.schema}.kysely_migration_lock`}) as oid`.execute(db.kysely);
  return rows[0]?.oid !== null;
}

async function appliedNames(db: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
    db.kysely,
  );
  return rows.map((r) => r.name);
}

describe.each(engines)('migrateUp at start (%s)', (engine) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(engine);
  });
  afterEach(() => db.close());

  it('leaves the migrator alone when every migration is applied', async () => {
    // The migrator creates its lock table whenever it runs: its absence shows it did not.
    await sql`drop table kysely_migration_lock`.execute(db.kysely);
    expect(await migrateUp(db)).toEqual([]);
    expect(await lockTableExists(db)).toBe(false);
    expect(await appliedNames(db)).toEqual([...names].sort());
  });

  it('applies a pending migration', async () => {
    const down = await migrator(db).migrateDown();
    expect(down.error).toBeUndefined();
    expect(await appliedNames(db)).not.toContain(last);
    expect(await migrateUp(db)).toEqual([last]);
    expect(await appliedNames(db)).toEqual([...names].sort());
  });

  it('refuses a database migrated by a newer build', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', now()::text)`.execute(
      db.kysely,
    );
    await expect(migrateUp(db)).rejects.toThrow(/9999_from_the_future/);
  });

  it('migrates an empty database from the start', async () => {
    const empty = await createTestDatabase(engine, { migrate: false });
    try {
      expect(await migrateUp(empty)).toEqual(names);
    } finally {
      await empty.close();
    }
  });
});
