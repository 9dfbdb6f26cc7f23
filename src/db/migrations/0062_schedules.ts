import type { Kysely } from 'kysely';

/** The schedule occurrence a site was last scanned for: claimed atomically, so one tick wins. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sites').addColumn('scheduled_for', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sites').dropColumn('scheduled_for').execute();
}
