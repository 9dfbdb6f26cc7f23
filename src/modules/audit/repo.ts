import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { Tx } from '../../db/tx.ts';
import type { Query } from '../../ops/backup/inspect.ts';
import type { ChainRow, ChainSource } from './chain.ts';

type Kysely = Database['kysely'] | Tx;

function toRow(r: Record<string, unknown>): ChainRow {
  return {
    seq: Number(r.seq),
    at: r.at instanceof Date ? r.at : new Date(String(r.at)),
    action: String(r.action),
    actor_id: (r.actor_id as string | null) ?? null,
    target_type: (r.target_type as string | null) ?? null,
    target_id: (r.target_id as string | null) ?? null,
    details: String(r.details),
    prev_hash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

/** The chain in the live database. */
export function kyselySource(db: Kysely): ChainSource {
  return {
    async rows(afterSeq, limit) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', String(afterSeq))
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((r) => toRow(r as unknown as Record<string, unknown>));
    },
    async head() {
      const row = await db
        .selectFrom('audit_chain_head')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirst();
      return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
    },
    async anchors() {
      const rows = await db.selectFrom('audit_anchors').select(['seq', 'hash', 'at']).orderBy('id').execute();
      return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, at: r.at }));
    },
  };
}

/** The chain in a restored backup, read through the drill's raw query function. */
export function querySource(query: Query, schema: string): ChainSource {
  const t = (name: string) => `"${schema.replace(/"/g, '""')}".${name}`;
  return {
    async rows(afterSeq, limit) {
      const rows = await query(`select * from ${t('audit_log')} where seq > $1 order by seq limit $2`, [
        afterSeq,
        limit,
      ]);
      return rows.map(toRow);
    },
    async head() {
      const [row] = await query(`select seq, hash from ${t('audit_chain_head')} where id = 1`);
      return row ? { seq: Number(row.seq), hash: String(row.hash) } : undefined;
    },
    async anchors() {
      const rows = await query(`select seq, hash, at from ${t('audit_anchors')} order by id`);
      return rows.map((r) => ({
        seq: Number(r.seq),
        hash: String(r.hash),
        at: new Date(String(r.at instanceof Date ? r.at.toISOString() : r.at)),
      }));
    },
  };
}

/** Locks the chain head for this transaction: concurrent appends queue here, so the chain never forks. */
export async function lockHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  const row = await tx
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { seq: Number(row.seq), hash: row.hash };
}

export async function tableExists(db: Kysely, name: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`select to_regclass(${name}) as found`.execute(db);
  return Boolean(result.rows[0]?.found);
}
