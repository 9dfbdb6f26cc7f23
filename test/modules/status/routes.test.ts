import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../src/config/load.ts';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { isStale, statusDocument, uptimeBars } from '../../../src/modules/status/service.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { buildStaff, buildUser, sessionHeaders } from '../../helpers/trust.ts';
import { createTestApp, testConfig, type TestApp } from '../../http/app-helpers.ts';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() - offset * DAY).toISOString().slice(0, 10);

describe('uptimeBars', () => {
  it('gives one bar per day, oldest first, a null ratio for days without probes', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const result = uptimeBars(
      [
        { component: 'database', day: '2026-03-10', ok: 3, degraded: 1, down: 0 },
        { component: 'database', day: '2026-03-08', ok: 0, degraded: 0, down: 2 },
      ],
      3,
      now,
    );
    expect(result.days).toEqual([
      { day: '2026-03-08', ratio: 0, worst: 'down' },
      { day: '2026-03-09', ratio: null, worst: null },
      { day: '2026-03-10', ratio: 0.75, worst: 'degraded' },
    ]);
    expect(result.ratio).toBe(0.5);
  });
});

describe('isStale', () => {
  const checkedAt = new Date('2026-03-10T12:00:02Z');
  const at = (iso: string) => new Date(iso);

  it('counts the monitor runs scheduled since the probe, each given a minute to finish', () => {
    // Every minute: runs at 12:01, 12:02 and 12:03 missed, the last with its minute of grace gone.
    expect(isStale(checkedAt, '* * * * *', at('2026-03-10T12:03:59Z'))).toBe(false);
    expect(isStale(checkedAt, '* * * * *', at('2026-03-10T12:04:01Z'))).toBe(true);
    expect(isStale(checkedAt, '* * * * *', checkedAt)).toBe(false);
  });

  it('keeps a slower schedule from looking stale between its runs', () => {
    expect(isStale(checkedAt, '0 * * * *', at('2026-03-10T14:30:00Z'))).toBe(false);
    expect(isStale(checkedAt, '0 * * * *', at('2026-03-10T15:01:01Z'))).toBe(true);
  });
});

describe.each(engines)('status page data and incidents on %s', (engine) => {
  let db: TestDatabase;
  let t: TestApp;
  let config: ResolvedConfig;
  const env = { BASE_URL: 'https://vioscan.test' };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    t = await createTestApp(engine, { db, env });
    config = testConfig(env);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  it('answers an empty status document before the monitor has run', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/status.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc).toMatchObject({ status: 'ok', windowDays: 90, components: [], incidents: [] });
    expect(doc.backups).toEqual({
      lastBackupAt: null,
      rpoTargetHours: 6,
      lastDrillAt: null,
      lastDrillOk: null,
      rtoSeconds: null,
    });
  });

  it('computes current states and 90-day uptime bars from the probe history', async () => {
    const at = (offset: number) => new Date(Date.now() - offset * DAY);
    await db.kysely
      .insertInto('health_probes')
      .values([
        { component: 'database', status: 'ok', checked_at: at(2) },
        { component: 'database', status: 'down', checked_at: at(2) },
        { component: 'database', status: 'ok', checked_at: at(1) },
        { component: 'database', status: 'ok', checked_at: at(0) },
        { component: 'queue', status: 'ok', checked_at: at(1) },
        { component: 'queue', status: 'degraded', checked_at: at(0) },
      ])
      .execute();
    // Another app on the same database: /status.json is cached per process for 15 s.
    const other = await createTestApp(engine, { db, env });
    try {
      const doc = (await other.app.inject({ method: 'GET', url: '/status.json' })).json();
      expect(doc.status).toBe('degraded');
      expect(doc.components.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
        ['database', 'ok'],
        ['queue', 'degraded'],
      ]);
      const database = doc.components[0];
      expect(database.name).toBe('Database');
      expect(database.uptime.days).toHaveLength(90);
      expect(database.uptime.days.at(-1)).toEqual({ day: day(0), ratio: 1, worst: 'ok' });
      expect(database.uptime.days.at(-3)).toEqual({ day: day(2), ratio: 0.5, worst: 'down' });
      expect(database.uptime.days.at(-4)).toEqual({ day: day(3), ratio: null, worst: null });
      expect(database.uptime.ratio).toBe(0.75);
    } finally {
      await other.app.close();
    }
  });

  it('shows "no data", never the last state, once the monitor has stopped, and the headline agrees', async () => {
    // The probes above are fresh now; ten minutes on, ten runs of MONITOR_CRON (every minute) are missed.
    const fresh = await statusDocument(db, config, new Date(Date.now() + 90_000));
    expect(fresh.components.map((c) => c.status)).toEqual(['ok', 'degraded']);
    const stopped = await statusDocument(db, config, new Date(Date.now() + 10 * 60_000));
    expect(stopped.components.map((c) => [c.id, c.status])).toEqual([
      ['database', 'no_data'],
      ['queue', 'no_data'],
    ]);
    expect(stopped.status).toBe('no_data');
    // The uptime history is still there: only the current state is unknown.
    expect(stopped.components[0]!.uptime.ratio).toBe(0.75);

    // Served as such: a component whose only probe is an hour old, beside fresh ones.
    await db.kysely
      .insertInto('health_probes')
      .values({ component: 'disk', status: 'ok', checked_at: new Date(Date.now() - 3_600_000) })
      .execute();
    const other = await createTestApp(engine, { db, env });
    try {
      const res = await other.app.inject({ method: 'GET', url: '/status.json' });
      expect(res.statusCode).toBe(200);
      const disk = res.json().components.find((c: { id: string }) => c.id === 'disk');
      expect(disk.status).toBe('no_data');
      expect(res.json().status).toBe('degraded');
    } finally {
      await other.app.close();
    }
  });

  it('lets security staff post and update incidents, shown publicly; others are refused', async () => {
    const body = {
      title: 'Scans are delayed',
      impact: 'major',
      components: ['queue', 'workers'],
      message: 'We are looking into slow scans.',
    };
    const post = (headers: Record<string, string>, payload: Record<string, unknown> = body) =>
      t.app.inject({ method: 'POST', url: '/api/v1/admin/incidents', headers, payload });

    const anonymous = await post({ 'sec-fetch-site': 'same-origin' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const plain = await post(await sessionHeaders(db, config, await buildUser(db)));
    expect(plain.statusCode).toBe(404);
    const support = await buildStaff(db, config, 'support');
    expect((await post(support.headers)).statusCode).toBe(404);
    const security = await buildStaff(db, config, 'security');
    const noMfa = await post(await sessionHeaders(db, config, security.user, { role: 'security' }));
    expect(noMfa.statusCode).toBe(403);
    expect(noMfa.json().error.code).toBe('mfa_required');

    const bad = await post(security.headers, { ...body, impact: 'huge' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const extra = await post(security.headers, { ...body, createdBy: security.user.id });
    expect(extra.statusCode).toBe(400);
    expect(await db.kysely.selectFrom('incidents').select('id').execute()).toEqual([]);

    const created = await post(security.headers);
    expect(created.statusCode).toBe(201);
    const incident = created.json();
    expect(incident).toMatchObject({
      title: body.title,
      impact: 'major',
      status: 'investigating',
      resolvedAt: null,
    });
    expect(incident.updates).toEqual([
      expect.objectContaining({ status: 'investigating', message: body.message }),
    ]);

    const admin = await buildStaff(db, config, 'admin');
    const update = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/incidents/${incident.id}/updates`,
      headers: admin.headers,
      payload: { status: 'resolved', message: 'A stuck worker was replaced; scans are back to normal.' },
    });
    expect(update.statusCode).toBe(201);
    expect(update.json().status).toBe('resolved');
    expect(update.json().resolvedAt).not.toBeNull();
    expect(update.json().updates.map((u: { status: string }) => u.status)).toEqual([
      'resolved',
      'investigating',
    ]);

    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/incidents/00000000-0000-4000-8000-000000000000/updates',
      headers: admin.headers,
      payload: { status: 'monitoring', message: 'nothing here' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');

    const doc = (await t.app.inject({ method: 'GET', url: '/status.json' })).json();
    expect(doc.incidents.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [incident.id, 'resolved'],
    ]);
    expect(JSON.stringify(doc)).not.toContain(security.user.id);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/incidents',
      headers: admin.headers,
    });
    expect(list.json().incidents).toHaveLength(1);
    const audit = await db.kysely
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('target_type', '=', 'incident')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'incident.created', target_id: incident.id },
      { action: 'incident.updated', target_id: incident.id },
    ]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
