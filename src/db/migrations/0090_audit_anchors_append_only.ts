import { sql, type Kysely } from 'kysely';

/**
 * `audit_anchors` becomes append-only like `audit_log` (docs/trust.md "Audit log"): an anchor is
 * a published (count, hash) of the chain, and a rewritten or deleted anchor would hide a rewrite
 * of the chain it vouches for. The trigger function follows the `*_append_only` naming, so
 * `vioscan migrate grant` (src/db/app-role.ts) grants the application role SELECT and INSERT only.
 * Anchors are tiny (one row an hour by default) and no retention rule purges them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function audit_anchors_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_anchors is append-only (% refused)', tg_op using errcode = 'P0001';
    end $$`.execute(db);
  await sql`create trigger audit_anchors_no_change before update or delete on audit_anchors
    for each row execute function audit_anchors_append_only()`.execute(db);
  await sql`create trigger audit_anchors_no_truncate before truncate on audit_anchors
    for each statement execute function audit_anchors_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_anchors_no_truncate on audit_anchors`.execute(db);
  await sql`drop trigger audit_anchors_no_change on audit_anchors`.execute(db);
  await sql`drop function audit_anchors_append_only()`.execute(db);
}
