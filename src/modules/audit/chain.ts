import { createHash } from 'node:crypto';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * JSON with object keys sorted at every level and no whitespace, so the same content always
 * hashes the same whatever order a caller built it in (the idea of RFC 8785, for our value types).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new Error('Non-finite number in audit content');
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

/** The hashed, non-personal content of one entry. */
export interface ChainContent {
  seq: number;
  at: Date;
  action: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  /** Canonical JSON text of the details, exactly as stored. */
  details: string;
}

export function entryHash(prevHash: string, content: ChainContent): string {
  const body = canonicalJson({ ...content, at: content.at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** A stored row as any reader (Kysely, a restored backup) sees it. */
export interface ChainRow {
  seq: number;
  at: Date;
  action: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Where a verifier reads a chain from: the live database or a restored copy. */
export interface ChainSource {
  /** Rows with seq > afterSeq, in seq order, at most `limit`. */
  rows(afterSeq: number, limit: number): Promise<ChainRow[]>;
  head(): Promise<{ seq: number; hash: string } | undefined>;
  anchors(): Promise<{ seq: number; hash: string; at: Date }[]>;
}

export type VerifyResult =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: number; reason: string };

const PAGE = 1000;

/** Walks the whole chain; the first broken link wins. */
export async function verifyChain(source: ChainSource): Promise<VerifyResult> {
  let expected = 1;
  let prev = GENESIS_HASH;
  const hashes = new Map<number, string>();
  const anchors = await source.anchors();
  const anchorSeqs = new Set(anchors.map((a) => a.seq));
  const broken = (brokenAt: number, reason: string): VerifyResult => ({
    ok: false,
    count: expected - 1,
    brokenAt,
    reason,
  });
  for (;;) {
    const page = await source.rows(expected - 1, PAGE);
    for (const row of page) {
      if (row.seq !== expected)
        return broken(expected, `entry ${expected} is missing (next stored entry is ${row.seq})`);
      if (row.prev_hash !== prev)
        return broken(
          expected,
          `entry ${expected} does not follow entry ${expected - 1} (previous hash differs)`,
        );
      const content: ChainContent = {
        seq: row.seq,
        at: row.at,
        action: row.action,
        actorId: row.actor_id,
        targetType: row.target_type,
        targetId: row.target_id,
        details: row.details,
      };
      if (entryHash(prev, content) !== row.hash)
        return broken(expected, `entry ${expected} was altered (its hash does not match its content)`);
      if (anchorSeqs.has(row.seq)) hashes.set(row.seq, row.hash);
      prev = row.hash;
      expected += 1;
    }
    if (page.length < PAGE) break;
  }
  const count = expected - 1;
  const head = await source.head();
  if (head && head.seq > count)
    return broken(
      count + 1,
      `chain ends at entry ${count} but its head records ${head.seq} entries (truncated)`,
    );
  if (head && head.seq < count)
    return broken(head.seq + 1, `chain has ${count} entries but its head records ${head.seq}`);
  if (head && head.hash !== prev) return broken(count, `entry ${count} differs from the chain head`);
  for (const anchor of anchors) {
    if (anchor.seq > count)
      return broken(
        count + 1,
        `anchor of ${anchor.at.toISOString()} records entry ${anchor.seq}, which is gone (truncated)`,
      );
    if (anchor.seq > 0 && hashes.get(anchor.seq) !== anchor.hash)
      return broken(anchor.seq, `entry ${anchor.seq} differs from its anchor of ${anchor.at.toISOString()}`);
  }
  return { ok: true, count, lastHash: prev };
}
