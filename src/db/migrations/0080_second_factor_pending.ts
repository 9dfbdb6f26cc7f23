import type { Kysely } from 'kysely';

/**
 * A session opened by email alone for an account with a second factor is pending until that
 * factor is verified (docs/authentication.md): it may only finish signing in or sign out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('second_factor_pending', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('second_factor_pending').execute();
}
