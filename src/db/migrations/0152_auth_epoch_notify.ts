import { sql, type Kysely } from 'kysely';

/** The channel a raised revocation epoch is announced on (src/modules/auth/auth-cache.ts). */
export const AUTH_EPOCH_CHANNEL = 'auth_epoch';

/**
 * The revocation epoch (0120) is also announced with NOTIFY when it is raised. The embedded
 * engine has one owner process, and PGlite hands a notification to its listener before the
 * committing statement returns: that process learns of every revocation without reading the
 * epoch for each request. PostgreSQL delivers notifications asynchronously, so web processes
 * there still read the epoch (a LISTEN would let a request slip between a commit and its
 * delivery).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function auth_epoch_bump() returns trigger language plpgsql as $$
    begin
      update auth_epoch set value = value + 1 where id = 1;
      perform pg_notify('${sql.raw(AUTH_EPOCH_CHANNEL)}', '');
      return null;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function auth_epoch_bump() returns trigger language plpgsql as $$
    begin
      update auth_epoch set value = value + 1 where id = 1;
      return null;
    end $$`.execute(db);
}
