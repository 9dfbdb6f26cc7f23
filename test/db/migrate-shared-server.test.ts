import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/kysely.ts';
import { migrateUp, migrator } from '../../src/db/migrate.ts';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/engines.ts';

/**
 * PostgreSQL only: the problem exists where several schemas share one server. Kysely's own
 * introspector looks every table of every schema up by name, so a schema dropped by someone else
 * during the migrator's "does my table exist" question failed the migration (seen in CI when
 * parallel test files dropped their schemas).
 */
describe('migrations on a PostgreSQL server shared with other schemas', () => {
  const schema = uniqueSchema('mig');
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 2 });
    await migrateUp(db);
  });
  afterAll(async () => {
    await db.close();
    await dropSchemas(schema);
  });

  it('are not disturbed by other schemas being created and dropped meanwhile', async () => {
    const churn = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await churn.connect();
    const prefix = uniqueSchema('churn');
    let stop = false;
    let created = 0;
    const churning = (async () => {
      while (!stop) {
        const name = `${prefix}_${created++}`;
        await churn.query(
          `create schema ${name}; create table ${name}.a (id serial primary key, b text); create table ${name}.c (id serial primary key)`,
        );
        await churn.query(`drop schema ${name} cascade`);
      }
    })();
    const failures: string[] = [];
    try {
      // The migrator itself, not migrateUp: that answers "up to date" without the introspection.
      for (let i = 0; i < 300; i++) {
        const { error, results } = await migrator(db).migrateToLatest();
        if (error) failures.push(String(error));
        expect(results ?? []).toEqual([]);
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
    expect(created).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
});
