import { sql, type Kysely } from 'kysely';

/** The daily dependency advisory check against OSV (issue 17, docs/operations.md#dependencies-and-updates). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('dependency_checks')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('packages', 'integer', (c) => c.notNull())
    .addColumn('advisories', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('dependency_checks_checked_at')
    .on('dependency_checks')
    .column('checked_at')
    .execute();

  await db.schema
    .createTable('dependency_advisories')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) =>
      c.notNull().check(sql`severity in ('critical', 'high', 'medium', 'low')`),
    )
    .addColumn('severity_source', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision')
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('aliases', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('fixed_in', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addUniqueConstraint('dependency_advisories_key', ['advisory_id', 'package', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dependency_advisories').execute();
  await db.schema.dropTable('dependency_checks').execute();
}
