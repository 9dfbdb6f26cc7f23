import { sql, type Kysely } from 'kysely';

/**
 * `incident_updates` (the status page's history, docs/operations.md) becomes append-only like
 * `audit_log` and `audit_anchors`: a published update is a statement made to customers at a time,
 * and correcting it is a new update, never a rewrite. The trigger function follows the
 * `*_append_only` naming, so `vioscan migrate grant` (src/db/app-role.ts) grants the application
 * role SELECT and INSERT only. Incidents are kept as the status history: no retention rule purges
 * them, and nothing deletes an incident (whose foreign key would cascade to its updates).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function incident_updates_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'incident_updates is append-only (% refused)', tg_op using errcode = 'P0001';
    end $$`.execute(db);
  await sql`create trigger incident_updates_no_change before update or delete on incident_updates
    for each row execute function incident_updates_append_only()`.execute(db);
  await sql`create trigger incident_updates_no_truncate before truncate on incident_updates
    for each statement execute function incident_updates_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger incident_updates_no_truncate on incident_updates`.execute(db);
  await sql`drop trigger incident_updates_no_change on incident_updates`.execute(db);
  await sql`drop function incident_updates_append_only()`.execute(db);
}
