import { sql, type Kysely } from 'kysely';

/**
 * Two things that lived in one web process's memory move to the database, so any process
 * answers any request (docs/http.md "Caches"):
 *
 * - `auth_epoch`: one counter, raised by triggers whenever a session, an account or an API token
 *   changes in a way that can end or narrow access (revocation, expiry, verification time,
 *   status, role, second factor, scopes) or is deleted. Web processes cache session and token lookups for a few
 *   seconds and trust an entry only while the epoch they read for the request still equals the
 *   one the entry was read under, so a revocation counts on every process at once. Ordinary
 *   writes (last_seen_at, last_used_at) leave it alone.
 * - `public_scans`: the landing page's anonymous scan reports, kept for an hour under an
 *   unguessable id; no IP address or other visitor data is stored with them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('value', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into auth_epoch (id, value) values (1, 0)`.execute(db);
  await sql`
    create function auth_epoch_bump() returns trigger language plpgsql as $$
    begin
      update auth_epoch set value = value + 1 where id = 1;
      return null;
    end $$`.execute(db);
  const watched: Record<string, string[]> = {
    sessions: ['revoked_at', 'expires_at', 'auth_at', 'mfa_at', 'second_factor_pending', 'user_id'],
    users: ['status', 'platform_role', 'email', 'totp_enabled_at'],
    api_tokens: ['revoked_at', 'expires_at', 'scopes', 'org_id', 'user_id'],
  };
  for (const [table, columns] of Object.entries(watched)) {
    const changed = columns.map((c) => `old.${c} is distinct from new.${c}`).join(' or ');
    await sql
      .raw(
        `create trigger ${table}_auth_epoch_update after update on ${table}
         for each row when (${changed}) execute function auth_epoch_bump()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_auth_epoch_delete after delete on ${table}
         for each statement execute function auth_epoch_bump()`,
      )
      .execute(db);
  }

  await db.schema
    .createTable('public_scans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The report is cleared when it expires; the target stays a day longer so the link can say so.
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('report', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('public_scans_expires_at').on('public_scans').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('public_scans').execute();
  for (const table of ['sessions', 'users', 'api_tokens']) {
    await sql.raw(`drop trigger ${table}_auth_epoch_update on ${table}`).execute(db);
    await sql.raw(`drop trigger ${table}_auth_epoch_delete on ${table}`).execute(db);
  }
  await sql`drop function auth_epoch_bump()`.execute(db);
  await db.schema.dropTable('auth_epoch').execute();
}
