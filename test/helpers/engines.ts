import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type Engine } from '../../src/db/kysely.ts';
import { migrateUp } from '../../src/db/migrate.ts';

/**
 * Every database test runs on both engines (STYLE §12). PostgreSQL comes from
 * TEST_DATABASE_URL (default: the machine's server, database `test`); each test database
 * lives in a fresh schema that is dropped afterwards. VIOSCAN_TEST_ENGINES=pglite narrows the loop.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const engines: Engine[] = (process.env.VIOSCAN_TEST_ENGINES ?? 'pglite,postgres')
  .split(',')
  .map((e) => e.trim())
  .filter((e): e is Engine => e === 'pglite' || e === 'postgres');

export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export interface TestDatabase extends Database {
  /** Connection settings that reach the same data from another process (postgres only). */
  env: Record<string, string>;
}

let migratedTemplate: Promise<Blob | File> | undefined;

/**
 * A migrated PGlite cluster, dumped once per test process: starting from it is several times
 * faster than initdb + migrations for every test database.
 */
function pgliteTemplate(): Promise<Blob | File> {
  migratedTemplate ??= (async () => {
    const db = await openDatabase({ schema: 'public' });
    await migrateUp(db);
    const dump = await db.pglite!.dumpDataDir('none');
    await db.close();
    return dump;
  })();
  return migratedTemplate;
}

export async function createTestDatabase(
  engine: Engine,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const migrate = options.migrate !== false;
  const schema = engine === 'postgres' ? uniqueSchema() : 'public';
  const db = await openDatabase(
    engine === 'postgres'
      ? { databaseUrl: TEST_DATABASE_URL, schema, poolSize: 5 }
      : { schema, ...(migrate ? { pgliteLoad: await pgliteTemplate() } : {}) },
  );
  if (migrate) await migrateUp(db);
  const close = db.close;
  return {
    ...db,
    env: engine === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : {},
    close: async () => {
      await close();
      if (engine === 'postgres') await dropSchemas(schema);
    },
  };
}

export async function dropSchemas(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query(`drop schema if exists "${schema}_jobs" cascade`);
  } finally {
    await client.end();
  }
}
