import type { Kysely } from 'kysely';

/**
 * Browser scans in the service (issue 13): whether a scan runs the browser stage (decided at request
 * time from the plan, docs/service.md), the global browser slots (BROWSER_SCAN_CONCURRENCY, leases
 * like scan_leases) and a scan's evidence files (screenshots, cookie jars), deleted with the scan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('scans')
    .addColumn('browser', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createTable('browser_leases')
    .addColumn('slot', 'integer', (c) => c.primaryKey())
    .addColumn('scan_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('scan_evidence')
    .addColumn('scan_id', 'uuid', (c) => c.notNull().references('scans.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('scan_evidence_pk', ['scan_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scan_evidence').execute();
  await db.schema.dropTable('browser_leases').execute();
  await db.schema.alterTable('scans').dropColumn('browser').execute();
}
