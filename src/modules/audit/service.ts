import type { Database } from '../../db/kysely.ts';
import { withTransaction, type Tx } from '../../db/tx.ts';
import type { Query } from '../../ops/backup/inspect.ts';
import { canonicalJson, entryHash, verifyChain, type VerifyResult } from './chain.ts';
import { kyselySource, lockHead, querySource } from './repo.ts';

/** One security-relevant or administrative action (docs/trust.md lists the actions in use). */
export interface AuditEntry {
  /** Dotted name: role.granted, account.deleted, support.key_rotated, disclosure.triaged … */
  action: string;
  /** Who did it (a user id), null for the system or an anonymous reporter. */
  actorId?: string | null | undefined;
  targetType?: string | null | undefined;
  targetId?: string | null | undefined;
  /** Non-personal facts only: they are hashed and can never be erased. */
  details?: Record<string, unknown> | undefined;
  /** Personal data, stored outside the hashed content so it can be erased later. */
  actorEmail?: string | undefined;
  ip?: string | undefined;
}

export interface AppendedAudit {
  seq: number;
  hash: string;
}

function isDatabase(db: Database | Tx): db is Database {
  return 'kysely' in db && 'engine' in db;
}

/**
 * Appends to the hash chain. Pass a transaction to make the entry part of the change it records
 * (both commit or neither); given the database, it opens its own short transaction.
 */
export async function appendAudit(db: Database | Tx, entry: AuditEntry): Promise<AppendedAudit> {
  if (isDatabase(db)) return withTransaction(db, (tx) => appendInTx(tx, entry));
  return appendInTx(db, entry);
}

async function appendInTx(tx: Tx, entry: AuditEntry): Promise<AppendedAudit> {
  const head = await lockHead(tx);
  const seq = head.seq + 1;
  // Whole milliseconds: timestamptz would keep microseconds a JS Date cannot give back.
  const at = new Date(Date.now());
  const content = {
    seq,
    at,
    action: entry.action,
    actorId: entry.actorId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: canonicalJson(entry.details ?? {}),
  };
  const hash = entryHash(head.hash, content);
  await tx
    .insertInto('audit_log')
    .values({
      seq,
      at,
      action: content.action,
      actor_id: content.actorId,
      target_type: content.targetType,
      target_id: content.targetId,
      details: content.details,
      prev_hash: head.hash,
      hash,
    })
    .execute();
  if (entry.actorEmail || entry.ip) {
    await tx
      .insertInto('audit_personal')
      .values({ seq, actor_email: entry.actorEmail?.toLowerCase() ?? null, ip: entry.ip ?? null })
      .execute();
  }
  await tx.updateTable('audit_chain_head').set({ seq, hash }).where('id', '=', 1).execute();
  return { seq, hash };
}

/** Verifies the whole chain in the live database (`vioscan audit verify`). */
export function verifyAuditChain(db: Database): Promise<VerifyResult> {
  return verifyChain(kyselySource(db.kysely));
}

/** Verifies the chain of a restored copy (the backup drill hands over its query function). */
export function verifyAuditChainWith(query: Query, schema: string): Promise<VerifyResult> {
  return verifyChain(querySource(query, schema));
}

export function describeVerify(result: VerifyResult): string {
  return result.ok
    ? `Audit chain intact: ${result.count} entries, last hash ${result.lastHash}.`
    : `Audit chain broken at entry ${result.brokenAt}: ${result.reason}.`;
}

/** Records the current head as an anchor and returns it; the job publishes it outside the database. */
export async function recordAnchor(db: Database): Promise<{ seq: number; hash: string; at: Date }> {
  return withTransaction(db, async (tx) => {
    const head = await lockHead(tx);
    const row = await tx
      .insertInto('audit_anchors')
      .values({ seq: head.seq, hash: head.hash })
      .returning('at')
      .executeTakeFirstOrThrow();
    return { seq: head.seq, hash: head.hash, at: row.at };
  });
}

/** Erases the personal data attached to a user's entries; the chain is untouched. */
export async function erasePersonalAudit(db: Database | Tx, userId: string, email: string): Promise<number> {
  const kysely = isDatabase(db) ? db.kysely : db;
  const result = await kysely
    .deleteFrom('audit_personal')
    .where((eb) =>
      eb.or([
        eb('actor_email', '=', email.toLowerCase()),
        eb('seq', 'in', eb.selectFrom('audit_log').select('seq').where('actor_id', '=', userId)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
