import { sql, type Kysely } from 'kysely';

/** Retention runs, consent records and data exports (issue 7, docs/trust.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('ran_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('results', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('withdrawn_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('consents_user').on('consents').column('user_id').execute();

  await db.schema
    .createTable('data_exports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('archive', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('ready_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('data_exports').execute();
  await db.schema.dropTable('consents').execute();
  await db.schema.dropTable('retention_runs').execute();
}
