import { sql, type Kysely } from 'kysely';

/** Health probes, worker heartbeats and status-page incidents (issue 8, docs/operations.md). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable('health_probes')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('ok', 'degraded', 'down')`))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('health_probes_component_checked_at')
    .on('health_probes')
    .columns(['component', 'checked_at'])
    .execute();
  await db.schema.createIndex('health_probes_checked_at').on('health_probes').column('checked_at').execute();

  await db.schema
    .createTable('worker_heartbeats')
    .addColumn('worker_id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('beat_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull().check(sql`impact in ('minor', 'major', 'critical')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('investigating', 'identified', 'monitoring', 'resolved')`),
    )
    .addColumn('components', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_by', 'uuid')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('incidents_started_at').on('incidents').column('started_at').execute();
  await db.schema
    .createTable('incident_updates')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('incident_id', 'uuid', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex('incident_updates_incident')
    .on('incident_updates')
    .columns(['incident_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incident_updates').execute();
  await db.schema.dropTable('incidents').execute();
  await db.schema.dropTable('worker_heartbeats').execute();
  await db.schema.dropTable('health_probes').execute();
}
