import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../../src/modules/audit/service.ts';
import {
  dataInventory,
  inventoryView,
  retentionTable,
  type DataClass,
} from '../../../src/modules/privacy/inventory.ts';
import { runRetentionPurge } from '../../../src/modules/privacy/purge.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { buildStaff, buildUser } from '../../helpers/trust.ts';
import { createTestApp, testConfig, type TestApp } from '../../http/app-helpers.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const config = testConfig({ IP_RETENTION_DAYS: '10', SECURITY_EVENT_RETENTION_DAYS: '100' });

describe('retention table', () => {
  it('covers every class the issue names, each with purpose, legal basis and a period from config', () => {
    const ids = dataInventory.map((c) => c.id);
    for (const id of [
      'account',
      'sessions',
      'usage-events',
      'security-events',
      'support',
      'scans',
      'audit',
      'billing',
      'backups',
    ])
      expect(ids).toContain(id);
    const rows = retentionTable(config);
    expect(rows.find((r) => r.id === 'security-events')).toMatchObject({
      retentionDays: 100,
      retention: expect.stringContaining('10 days'),
    });
    for (const row of rows)
      expect(row.purpose.length * row.retention.length * row.legalBasis.length).toBeGreaterThan(0);
  });
});

describe.each(engines)('retention purge on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(async () => db.close());

  it('deletes rows past retention, removes old IPs, keeps the rest, and skips tables that do not exist', async () => {
    const user = await buildUser(db);
    const session = (id: string, created: Date, expires: Date) => ({
      id,
      user_id: user.id,
      token_hash: id,
      created_at: created,
      last_seen_at: created,
      expires_at: expires,
      auth_at: created,
      ip: '203.0.113.5',
      user_agent: 'ua',
    });
    await db.kysely
      .insertInto('sessions')
      .values([
        session('00000000-0000-4000-8000-000000000001', ago(60), ago(40)),
        session('00000000-0000-4000-8000-000000000002', ago(20), ago(19)),
        session('00000000-0000-4000-8000-000000000003', ago(1), new Date(Date.now() + DAY)),
      ])
      .execute();
    await db.kysely
      .insertInto('security_events')
      .values([
        { type: 'old', outcome: 'info', at: ago(101), ip: '203.0.113.5' },
        { type: 'middle', outcome: 'info', at: ago(11), ip: '203.0.113.5' },
        { type: 'new', outcome: 'info', at: ago(1), ip: '203.0.113.5' },
      ])
      .execute();
    await appendAudit(db, { action: 'test.old', ip: '203.0.113.5' });
    await db.kysely
      .updateTable('audit_personal')
      .set({ created_at: ago(11) })
      .execute();
    const usersBefore = await db.kysely.selectFrom('users').selectAll().execute();

    const outcomes = await runRetentionPurge(db, config);

    const sessions = await db.kysely.selectFrom('sessions').select(['id', 'ip']).orderBy('id').execute();
    expect(sessions).toEqual([
      { id: '00000000-0000-4000-8000-000000000002', ip: null },
      { id: '00000000-0000-4000-8000-000000000003', ip: '203.0.113.5' },
    ]);
    const events = await db.kysely
      .selectFrom('security_events')
      .select(['type', 'ip'])
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { type: 'middle', ip: null },
      { type: 'new', ip: '203.0.113.5' },
    ]);
    expect(await db.kysely.selectFrom('audit_personal').select('ip').execute()).toEqual([{ ip: null }]);
    expect(await db.kysely.selectFrom('users').selectAll().execute()).toEqual(usersBefore);
    expect(outcomes).toContainEqual(
      expect.objectContaining({ table: 'sessions', action: 'delete', affected: 1 }),
    );
    // Only rules for tables no migration has created yet are skipped.
    for (const skipped of outcomes.filter((o) => o.skipped)) {
      const found = await sql<{ t: string | null }>`select to_regclass(${skipped.table}) as t`.execute(
        db.kysely,
      );
      expect(found.rows[0]!.t, skipped.table).toBeNull();
    }
    expect(await db.kysely.selectFrom('retention_runs').select('id').execute()).toHaveLength(1);
  });

  it('skips rules whose table or column does not exist (yet) and still applies the others', async () => {
    const days = () => 1;
    const probe: DataClass = {
      ...dataInventory[0]!,
      id: 'probe',
      purge: [
        { action: 'delete', table: 'no_such_table', olderThan: 'created_at', days },
        { action: 'clear', table: 'sessions', columns: ['no_such_column'], olderThan: 'created_at', days },
        { action: 'delete', table: 'housekeeping_runs', olderThan: 'ran_at', days },
      ],
    };
    await db.kysely
      .insertInto('housekeeping_runs')
      .values([
        { ran_at: ago(2), expired_rate_limits: 0 },
        { ran_at: new Date(), expired_rate_limits: 0 },
      ])
      .execute();
    const outcomes = await runRetentionPurge(db, config, [probe]);
    expect(outcomes.map((o) => [o.table, o.affected, o.skipped])).toEqual([
      ['no_such_table', null, 'table missing'],
      ['sessions', null, 'column missing'],
      ['housekeeping_runs', 1, undefined],
    ]);
    expect(await db.kysely.selectFrom('housekeeping_runs').select('id').execute()).toHaveLength(1);
  });
});

describe.each(engines)('privacy routes on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('serves the retention table publicly and the inventory only to staff', async () => {
    const pub = await t.app.inject({ url: '/api/v1/privacy/retention' });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().classes.map((c: { id: string }) => c.id)).toContain('sessions');

    expect((await t.app.inject({ url: '/api/v1/admin/privacy/inventory' })).statusCode).toBe(401);
    const { headers } = await buildStaff(t.db, testConfig(), 'support');
    const staff = await t.app.inject({ url: '/api/v1/admin/privacy/inventory', headers });
    expect(staff.statusCode).toBe(200);
    expect(staff.json().classes.find((c: { id: string }) => c.id === 'sessions').storage).toEqual([
      { table: 'sessions', columns: ['ip', 'user_agent'] },
      { table: 'webauthn_challenges', columns: ['session_id', 'challenge'] },
    ]);
  });

  it('answers the whole inventory and the last purge run through its response schema, nothing dropped', async () => {
    const { headers } = await buildStaff(t.db, testConfig(), 'support');
    const get = async () => {
      const res = await t.app.inject({ url: '/api/v1/admin/privacy/inventory', headers });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    expect(await get()).toEqual({ classes: inventoryView(testConfig()), lastPurge: null });
    const probe: DataClass = {
      ...dataInventory[0]!,
      id: 'probe',
      purge: [
        { action: 'delete', table: 'no_such_table', olderThan: 'created_at', days: () => 3 },
        { action: 'clear', table: 'sessions', columns: ['ip'], olderThan: 'created_at', days: () => 5 },
      ],
    };
    const results = await runRetentionPurge(t.db, testConfig(), [probe]);
    const answer = await get();
    expect(answer.lastPurge).toEqual({ ranAt: expect.any(String), results });
    expect(answer.lastPurge.results[0]).toEqual({
      classId: 'probe',
      table: 'no_such_table',
      action: 'delete',
      days: 3,
      affected: null,
      skipped: 'table missing',
    });
    // A clear rule keeps the columns it empties.
    expect(answer.classes.find((c: { id: string }) => c.id === 'sessions').purge).toContainEqual(
      expect.objectContaining({ action: 'clear', table: 'sessions', columns: ['ip'] }),
    );
  });
});
