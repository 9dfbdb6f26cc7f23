import type { Kysely } from 'kysely';

/**
 * Whether a scan runs the active checks (exposed files, directory listings, TRACE): decided when
 * the scan is requested — only for a verified site (docs/service.md) — and read by the worker.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('scans')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scans').dropColumn('active').execute();
}
