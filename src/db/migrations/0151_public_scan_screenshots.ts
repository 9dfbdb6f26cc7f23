import type { Kysely } from 'kysely';

/**
 * An anonymous browser scan keeps each visit's first-view screenshot beside its report, as a
 * signed-in scan keeps them in `scan_evidence`: `{ visit: base64 JPEG }`. Cleared with the report when
 * it expires (housekeeping and the retention purge, inventory "Public scan reports").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('public_scans').addColumn('screenshots', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('public_scans').dropColumn('screenshots').execute();
}
