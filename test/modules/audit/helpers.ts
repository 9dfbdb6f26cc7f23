import { sql } from 'kysely';
import type { Database } from '../../../src/db/kysely.ts';
import { appendAudit } from '../../../src/modules/audit/service.ts';

/** Appends n entries with distinct, non-personal details. */
export async function appendMany(db: Database, n: number, action = 'test.action'): Promise<void> {
  for (let i = 1; i <= n; i++)
    await appendAudit(db, { action, targetType: 'thing', targetId: `t${i}`, details: { i } });
}

const APPEND_ONLY = ['audit_log', 'audit_anchors'] as const;

/** What a superuser could do: switch the append-only triggers off, change rows, switch them back on. */
export async function tamper(db: Database, ...statements: ReturnType<typeof sql>[]): Promise<void> {
  for (const t of APPEND_ONLY) await sql`alter table ${sql.table(t)} disable trigger user`.execute(db.kysely);
  for (const statement of statements) await statement.execute(db.kysely);
  for (const t of APPEND_ONLY) await sql`alter table ${sql.table(t)} enable trigger user`.execute(db.kysely);
}

/** Empties the chain so tests in one file can share a database (engines are slow to create). */
export async function resetChain(db: Database): Promise<void> {
  await tamper(db, sql`delete from audit_log`, sql`delete from audit_anchors`);
  await sql`delete from audit_personal`.execute(db.kysely);
  await sql`update audit_chain_head set seq = 0, hash = ${'0'.repeat(64)}`.execute(db.kysely);
}
