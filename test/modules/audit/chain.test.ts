import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTransaction } from '../../../src/db/tx.ts';
import { canonicalJson } from '../../../src/modules/audit/chain.ts';
import {
  appendAudit,
  erasePersonalAudit,
  recordAnchor,
  verifyAuditChain,
  verifyAuditChainWith,
} from '../../../src/modules/audit/service.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { appendMany, resetChain, tamper } from './helpers.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe.each(engines)('audit chain on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  beforeEach(async () => resetChain(db));
  afterAll(async () => db.close());

  it('links entries and keeps personal data outside the hashed content', async () => {
    const first = await appendAudit(db, {
      action: 'role.granted',
      actorId: '00000000-0000-4000-8000-000000000001',
      actorEmail: 'Admin@Example.com',
      ip: '203.0.113.9',
      details: { role: 'support' },
    });
    await appendMany(db, 3);
    expect(first.seq).toBe(1);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 4 });
    const personal = await db.kysely.selectFrom('audit_personal').selectAll().execute();
    expect(personal).toMatchObject([{ actor_email: 'admin@example.com', ip: '203.0.113.9' }]);
    const logged = await db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', '1')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(logged)).not.toMatch(/example\.com|203\.0\.113/);

    expect(await erasePersonalAudit(db, '00000000-0000-4000-8000-000000000001', 'admin@example.com')).toBe(1);
    expect(await db.kysely.selectFrom('audit_personal').selectAll().execute()).toEqual([]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 4 });
  });

  it('the trigger refuses UPDATE, DELETE and TRUNCATE and the rows stay as they were', async () => {
    await appendMany(db, 2);
    const before = await db.kysely.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(db.kysely)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where seq = 2`.execute(db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db.kysely)).rejects.toThrow(/append-only/);
    expect(await db.kysely.selectFrom('audit_log').selectAll().orderBy('seq').execute()).toEqual(before);
  });

  it('audit_anchors is append-only too: a new anchor is recorded, UPDATE, DELETE and TRUNCATE are refused', async () => {
    await appendMany(db, 2);
    await recordAnchor(db);
    await appendMany(db, 1);
    await recordAnchor(db);
    const before = await db.kysely.selectFrom('audit_anchors').selectAll().orderBy('id').execute();
    expect(before.map((a) => Number(a.seq))).toEqual([2, 3]);
    await expect(sql`update audit_anchors set seq = 1`.execute(db.kysely)).rejects.toThrow(
      /audit_anchors is append-only \(UPDATE refused\)/,
    );
    await expect(sql`delete from audit_anchors where seq = 3`.execute(db.kysely)).rejects.toThrow(
      /audit_anchors is append-only \(DELETE refused\)/,
    );
    await expect(sql`truncate audit_anchors`.execute(db.kysely)).rejects.toThrow(
      /audit_anchors is append-only \(TRUNCATE refused\)/,
    );
    expect(await db.kysely.selectFrom('audit_anchors').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 3 });
  });

  it('detects an update', async () => {
    await appendMany(db, 5);
    await tamper(db, sql`update audit_log set details = '{"i":99}' where seq = 3`);
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: expect.stringMatching(/altered/),
    });
  });

  it('detects a delete in the middle', async () => {
    await appendMany(db, 5);
    await tamper(db, sql`delete from audit_log where seq = 2`);
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: expect.stringMatching(/missing/),
    });
  });

  it('detects a reorder', async () => {
    await appendMany(db, 5);
    await tamper(
      db,
      sql`update audit_log set seq = -seq where seq in (2, 3)`,
      sql`update audit_log set seq = case seq when -2 then 3 else 2 end where seq < 0`,
    );
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: expect.stringMatching(/does not follow/),
    });
  });

  it('detects a truncation of the tail through the chain head', async () => {
    await appendMany(db, 5);
    await tamper(db, sql`delete from audit_log where seq > 3`);
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: expect.stringMatching(/truncated/),
    });
  });

  it('detects a truncation even when the head is rewritten too, through an earlier anchor', async () => {
    await appendMany(db, 5);
    expect(await recordAnchor(db)).toMatchObject({ seq: 5 });
    await tamper(db, sql`delete from audit_log where seq > 3`);
    await sql`update audit_chain_head set seq = 3, hash = (select hash from audit_log where seq = 3)`.execute(
      db.kysely,
    );
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: expect.stringMatching(/anchor/),
    });
  });

  it('concurrent appends never fork the chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendAudit(db, { action: 'test.concurrent', details: { i } })),
    );
    const rows = await db.kysely.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 20 });
  });

  it('an entry written in a rolled-back transaction disappears with the change it recorded', async () => {
    await appendMany(db, 1);
    await expect(
      withTransaction(db, async (tx) => {
        await appendAudit(tx, { action: 'test.rolled_back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await appendMany(db, 1, 'test.after');
    const actions = await db.kysely.selectFrom('audit_log').select('action').orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['test.action', 'test.after']);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 2 });
  });

  it('verifies through a raw query function, as the backup drill does', async () => {
    await appendMany(db, 3);
    const query = async (text: string, values?: unknown[]) =>
      (await db.executor.executeSql(text, values)).rows;
    expect(await verifyAuditChainWith(query, db.schema)).toMatchObject({ ok: true, count: 3 });
    await tamper(db, sql`update audit_log set action = 'forged' where seq = 1`);
    expect(await verifyAuditChainWith(query, db.schema)).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
