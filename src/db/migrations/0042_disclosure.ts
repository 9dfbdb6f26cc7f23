import { sql, type Kysely } from 'kysely';

/** Vulnerability reports sent through the disclosure form (issue 7, docs/trust.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('vulnerability_reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('reporter_email', 'text')
    .addColumn('ip', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('severity', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('triaged_by', 'uuid')
    .addColumn('triaged_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('vulnerability_reports_status')
    .on('vulnerability_reports')
    .columns(['status', 'due_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('vulnerability_reports').execute();
}
