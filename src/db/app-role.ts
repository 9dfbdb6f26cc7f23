import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from './types.ts';
import type { Database } from './kysely.ts';

/**
 * The PostgreSQL application role (issue 7, docs/trust.md "Database roles"): the service connects
 * as a role that owns nothing and holds exactly what it needs, so that even a compromised process
 * cannot rewrite the audit chain. The trigger on `audit_log` refuses UPDATE, DELETE and TRUNCATE
 * on both engines; on PostgreSQL the missing privileges make that hold without the trigger too.
 *
 * Grants are explicit and per table, with no default privileges: a table created by a later
 * migration stays closed to the service (fail closed) until the grant runs again, which
 * `vioscan migrate` does by itself when DATABASE_APP_ROLE is set.
 */

/** Kysely's bookkeeping: the service reads it at start (nothing pending) but never writes it. */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'] as const;

/** Table privileges that no table grants the service: these belong to the owner. */
export const OWNER_ONLY_PRIVILEGES = ['TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', ...OWNER_ONLY_PRIVILEGES] as const;
type TablePrivilege = (typeof TABLE_PRIVILEGES)[number];

export type TableAccess = 'read-write' | 'append-only' | 'read-only';

const ACCESS: Record<TableAccess, TablePrivilege[]> = {
  'read-write': ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  'append-only': ['SELECT', 'INSERT'],
  'read-only': ['SELECT'],
};

export interface GrantedTable {
  schema: string;
  table: string;
  access: TableAccess;
}

export interface AppRoleGrant {
  role: string;
  schemas: string[];
  tables: GrantedTable[];
  sequences: number;
}

/** A reason the grant cannot or must not run; the CLI shows it as a usage error (exit 2). */
export class AppRoleError extends Error {
  override name = 'AppRoleError';
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const qualified = (schema: string, name: string): RawBuilder<unknown> =>
  sql.raw(`${quote(schema)}.${quote(name)}`);

interface TableRow {
  schema: string;
  table: string;
  append_only: boolean;
}

/**
 * Ordinary, partitioned and foreign tables, views and materialised views of the given schemas.
 * A table is append-only when a trigger of it runs a `*_append_only` function (as
 * `audit_log_append_only` of migration 0040 does): the trigger is the one source of that fact.
 */
async function listTables(db: Kysely<DB>, schemas: string[]): Promise<TableRow[]> {
  const { rows } = await sql<TableRow>`
    select n.nspname as schema, c.relname as table,
      exists (
        select 1 from pg_trigger t join pg_proc p on p.oid = t.tgfoid
        where t.tgrelid = c.oid and not t.tgisinternal and p.proname like '%\\_append\\_only'
      ) as append_only
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in (${sql.join(schemas)}) and c.relkind in ('r', 'p', 'v', 'm', 'f')
    order by n.nspname, c.relname`.execute(db);
  return rows;
}

function accessOf(row: TableRow, appSchema: string): TableAccess {
  if (row.append_only) return 'append-only';
  if (row.schema === appSchema && (MIGRATION_TABLES as readonly string[]).includes(row.table))
    return 'read-only';
  return 'read-write';
}

/** Refuses a role that does not exist or whose privileges would not restrict anything. */
async function checkRole(db: Kysely<DB>, role: string, schemas: string[]): Promise<void> {
  if (!ROLE_NAME.test(role))
    throw new AppRoleError(
      `the application role must be a lower-case SQL identifier, got ${JSON.stringify(role)}`,
    );
  const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; is_me: boolean }>`
    select rolsuper, rolbypassrls, rolname = current_user as is_me from pg_roles where rolname = ${role}`.execute(
    db,
  );
  const found = rows[0];
  if (!found)
    throw new AppRoleError(
      `role "${role}" does not exist; create it first (as a superuser or a role with CREATEROLE): create role ${role} login password '…'`,
    );
  if (found.rolsuper)
    throw new AppRoleError(
      `role "${role}" is a superuser: privileges do not restrict it; use a plain login role`,
    );
  if (found.is_me)
    throw new AppRoleError(
      `role "${role}" is the role running this command (the owner): the service must connect as a separate role`,
    );
  // Membership in the owner role carries the owner's rights (ALTER, DROP, and re-granting itself).
  const { rows: owned } = await sql<{ name: string }>`
    select n.nspname as name from pg_namespace n
      where n.nspname in (${sql.join(schemas)}) and pg_has_role(${role}, n.nspowner, 'USAGE')
    union all
    select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in (${sql.join(schemas)}) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
        and pg_has_role(${role}, c.relowner, 'USAGE')
    limit 3`.execute(db);
  if (owned.length)
    throw new AppRoleError(
      `role "${role}" owns, or is a member of the owner of, ${owned.map((o) => o.name).join(', ')}: the service must not own the tables`,
    );
}

/**
 * Grants `role` exactly what the service needs in the app schema and the job schema; idempotent
 * (everything is revoked and granted again in one transaction, so the role never holds UPDATE on
 * an append-only table, even for a moment). Run by the owner after migrations and after the job
 * queues exist. Throws when the privileges the role ends up with differ from the intent (a grant
 * to PUBLIC or by another grantor, for example), naming each difference.
 */
export async function grantAppRole(db: Database, role: string): Promise<AppRoleGrant> {
  if (db.engine !== 'postgres')
    throw new AppRoleError(
      'database roles exist only on PostgreSQL: the embedded engine (PGlite) has a single user, so there is no application role to restrict. Set DATABASE_URL to use this command.',
    );
  const schemas = [db.schema, db.jobSchema];
  await checkRole(db.kysely, role, schemas);
  const r = sql.id(role);

  const tables = await db.kysely.transaction().execute(async (tx) => {
    const granted: GrantedTable[] = [];
    for (const schema of schemas) {
      const s = sql.id(schema);
      await sql`grant usage on schema ${s} to ${r}`.execute(tx);
      await sql`revoke create on schema ${s} from ${r}`.execute(tx);
      await sql`revoke all on all tables in schema ${s} from ${r}`.execute(tx);
      await sql`revoke all on all sequences in schema ${s} from ${r}`.execute(tx);
      await sql`grant usage, select on all sequences in schema ${s} to ${r}`.execute(tx);
    }
    for (const row of await listTables(tx, schemas)) {
      const access = accessOf(row, db.schema);
      await sql`grant ${sql.raw(ACCESS[access].join(', '))} on ${qualified(row.schema, row.table)} to ${r}`.execute(
        tx,
      );
      granted.push({ schema: row.schema, table: row.table, access });
    }
    return granted;
  });

  const { rows: seq } = await sql<{ n: number }>`
    select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in (${sql.join(schemas)}) and c.relkind = 'S'`.execute(db.kysely);
  const problems = await privilegeProblems(db, role, tables);
  if (problems.length)
    throw new Error(
      `granted, but role "${role}" still differs from what the service needs:\n  ${problems.join('\n  ')}\n(revoke grants made to PUBLIC or by other roles, then run this again)`,
    );
  return { role, schemas, tables, sequences: seq[0]?.n ?? 0 };
}

/** What `role` can effectively do (PUBLIC and memberships included) that differs from the intent. */
export async function privilegeProblems(
  db: Database,
  role: string,
  tables: GrantedTable[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const schema of [db.schema, db.jobSchema]) {
    const { rows } = await sql<{ usage: boolean; create: boolean }>`
      select has_schema_privilege(${role}, ${schema}, 'USAGE') as usage,
             has_schema_privilege(${role}, ${schema}, 'CREATE') as create`.execute(db.kysely);
    if (!rows[0]?.usage) problems.push(`schema ${schema}: USAGE missing`);
    if (rows[0]?.create) problems.push(`schema ${schema}: CREATE held`);
  }
  for (const t of tables) {
    const name = `${quote(t.schema)}.${quote(t.table)}`;
    const { rows } = await sql<Record<string, boolean>>`select ${sql.join(
      TABLE_PRIVILEGES.map((p) => sql`has_table_privilege(${role}, ${name}, ${p}) as ${sql.id(p)}`),
    )}`.execute(db.kysely);
    for (const p of TABLE_PRIVILEGES) {
      const want = ACCESS[t.access].includes(p);
      if (rows[0]?.[p] !== want) problems.push(`${t.schema}.${t.table}: ${p} ${want ? 'missing' : 'held'}`);
    }
  }
  const { rows: seqs } = await sql<{ name: string; usage: boolean; update: boolean }>`
    select n.nspname || '.' || c.relname as name,
      has_sequence_privilege(${role}, c.oid, 'USAGE') as usage,
      has_sequence_privilege(${role}, c.oid, 'UPDATE') as update
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in (${sql.join([db.schema, db.jobSchema])}) and c.relkind = 'S'`.execute(db.kysely);
  for (const s of seqs) {
    if (!s.usage) problems.push(`sequence ${s.name}: USAGE missing`);
    if (s.update) problems.push(`sequence ${s.name}: UPDATE held`);
  }
  return problems;
}

export function describeGrant(grant: AppRoleGrant): string {
  const count = (a: TableAccess) => grant.tables.filter((t) => t.access === a);
  const names = (a: TableAccess) =>
    count(a)
      .map((t) => `${t.schema}.${t.table}`)
      .join(', ') || 'none';
  return [
    `Granted role "${grant.role}" on schemas ${grant.schemas.join(', ')}:`,
    `  ${count('read-write').length} tables read-write (select, insert, update, delete)`,
    `  append-only (select, insert): ${names('append-only')}`,
    `  read-only (select): ${names('read-only')}`,
    `  ${grant.sequences} sequences (usage, select); no TRUNCATE, REFERENCES, TRIGGER or CREATE anywhere`,
  ].join('\n');
}
