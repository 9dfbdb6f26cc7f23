import { sql, type Kysely } from 'kysely';

/** Sites of an organisation, their ownership verification, plans and usage events (issue 6, docs/service.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  // The plan decides quotas (src/modules/scans/plan-limits.ts); remediation targets override the score table.
  await db.schema
    .alterTable('orgs')
    .addColumn('plan', 'text', (c) => c.notNull().defaultTo('free'))
    .execute();
  await db.schema.alterTable('orgs').addColumn('remediation_days', 'text').execute();
  await db.schema
    .createTable('sites')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('verification_token', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'timestamptz')
    .addColumn('verified_by', 'text')
    .addColumn('schedule', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('sites_org_url', ['org_id', 'url'])
    .execute();
  await db.schema
    .createTable('usage_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('usage_events_org')
    .on('usage_events')
    .columns(['org_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('usage_events').execute();
  await db.schema.dropTable('sites').execute();
  await db.schema.alterTable('orgs').dropColumn('remediation_days').execute();
  await db.schema.alterTable('orgs').dropColumn('plan').execute();
}
