import { sql, type Kysely } from 'kysely';

/**
 * The landing page's anonymous scan gains the browser stage (issue 13, docs/service.md "Anonymous
 * browser scans"). The passive report is stored at once; its artefacts wait beside it until the
 * browser stage has run (then the report is judged again with the browser artefact and the artefacts
 * are cleared). `browser_status` is the queue: `queued` rows are taken oldest first, at most
 * PUBLIC_BROWSER_SCAN_CONCURRENCY at a time, each holding one numbered slot in
 * `public_browser_leases` (like browser_leases for signed-in scans). Nothing about the visitor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('public_scans')
    .addColumn('artefacts', 'jsonb')
    .addColumn('browser_status', 'text', (c) =>
      c.check(sql`browser_status in ('queued', 'running', 'done', 'failed')`),
    )
    .addColumn('browser_error', 'jsonb')
    .execute();
  await db.schema
    .createIndex('public_scans_browser_queue')
    .on('public_scans')
    .columns(['created_at', 'id'])
    .where(sql.ref('browser_status'), '=', 'queued')
    .execute();
  await db.schema
    .createTable('public_browser_leases')
    .addColumn('slot', 'integer', (c) => c.primaryKey())
    .addColumn('scan_id', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('public_browser_leases').execute();
  await db.schema.dropIndex('public_scans_browser_queue').execute();
  await db.schema
    .alterTable('public_scans')
    .dropColumn('browser_error')
    .dropColumn('browser_status')
    .dropColumn('artefacts')
    .execute();
}
