import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/load.ts';
import { startJobs, type Jobs } from '../../src/jobs/boss.ts';
import { runWorkers } from '../../src/jobs/index.ts';
import { monitor } from '../../src/jobs/monitor.ts';
import { webhookKey, type HealthAlert as Alert } from '../../src/ops/alerts.ts';
import { startHeartbeat } from '../../src/ops/heartbeat.ts';
import { probeWeb } from '../../src/ops/probes.ts';
import { buildApp } from '../../src/http/app.ts';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';
import { waitFor } from '../helpers/wait.ts';
import { testConfig } from '../http/app-helpers.ts';
import { startSmtp } from '../modules/auth/helpers.ts';

interface Received {
  url: string;
  body: string;
  signature: string;
}

/** A loopback webhook receiver that records every POST. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body, signature: String(req.headers['x-vioscan-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function verify(appSecret: string, r: Received): boolean {
  const [, t, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature) ?? [];
  if (!t || !mac) return false;
  return createHmac('sha256', webhookKey(appSecret)).update(`${t}.${r.body}`).digest('hex') === mac;
}

const silent = pino({ level: 'silent' });

describe.each(engines)('monitor job on %s', (engine) => {
  let db: TestDatabase;
  let jobs: Jobs;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let config: ResolvedConfig;
  let web: FastifyInstance;
  let webUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    receiver = await startReceiver();
    smtp = await startSmtp();
    const dir = mkdtempSync(path.join(tmpdir(), 'vioscan-monitor-'));
    // The job schema must exist for the queue probe; supervise:false keeps cron out of the way.
    jobs = await startJobs(db, { supervise: false, logger: silent });
    // The real web tier on loopback, for the monitor to probe over HTTP.
    web = await buildApp({ config: testConfig({ DATA_DIR: dir }), db, jobs, logger: silent });
    await web.listen({ port: 0, host: '127.0.0.1' });
    webUrl = `http://127.0.0.1:${(web.server.address() as AddressInfo).port}`;
    config = testConfig({
      DATA_DIR: dir,
      BACKUP_DIR: path.join(dir, 'backups'),
      ALERT_WEBHOOK_URL: receiver.url,
      ALLOW_PRIVATE_TARGETS: 'true',
      ALERT_EMAIL: 'ops@example.test, oncall@example.test',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      BASE_URL: webUrl,
      HEARTBEAT_URL: `${receiver.url.replace('/hook', '')}/ping/abc`,
    });
  }, 120_000);

  afterAll(async () => {
    await web?.close();
    await jobs?.stop();
    await receiver?.close();
    await smtp?.close();
    await db?.close();
  });

  const run = () => monitor.handle({ db, config, logger: silent }, {}) as ReturnType<typeof monitor.handle>;
  type RunResult = { changes: { component: string; from: string | null; to: string }[] };

  it('stores every probe, alerts once per state change (signed webhook and email), not on repeats', async () => {
    const first = (await run()) as RunResult;
    const rows = await db.kysely.selectFrom('health_probes').select(['component', 'status']).execute();
    const state = Object.fromEntries(rows.map((r) => [r.component, r.status]));
    expect(state).toEqual({
      web: 'ok',
      database: 'ok',
      queue: 'ok',
      workers: 'down', // no worker heartbeat
      backups: 'degraded', // no backup yet
      'restore-drill': 'degraded',
      disk: 'ok',
    });
    // Components that start healthy are not news; the others are.
    expect(first.changes.map((c) => `${c.component}:${c.to}`).sort()).toEqual([
      'backups:degraded',
      'restore-drill:degraded',
      'workers:down',
    ]);
    // Each run pings HEARTBEAT_URL after its alert; with workers down, at its /fail address.
    const hooks = () => receiver.received.filter((r) => r.url === '/hook');
    const pings = () => receiver.received.filter((r) => r.url.startsWith('/ping/'));
    await waitFor(async () => (hooks().length === 1 && pings().length === 1 ? true : undefined));
    expect(pings()[0]!.url).toBe('/ping/abc/fail');
    expect(JSON.parse(pings()[0]!.body)).toEqual({ instance: webUrl, down: ['workers'] });
    const alert = JSON.parse(hooks()[0]!.body) as Alert;
    expect(alert.type).toBe('health.changed');
    expect(alert.instance).toBe(webUrl);
    expect(alert.changes).toContainEqual(
      expect.objectContaining({ component: 'workers', from: null, to: 'down' }),
    );
    expect(verify(config.appSecret, hooks()[0]!)).toBe(true);
    expect(verify('c'.repeat(64), hooks()[0]!)).toBe(false);
    const mails = await waitFor(async () => (smtp.mails.length === 2 ? smtp.mails : undefined));
    expect(mails.map((m) => m.to).sort()).toEqual(['oncall@example.test', 'ops@example.test']);
    expect(mails[0]!.subject).toContain('workers down');

    // Nothing changed: a second run stores probes but sends nothing.
    const second = (await run()) as RunResult;
    expect(second.changes).toEqual([]);
    expect(await db.kysely.selectFrom('health_probes').select('id').execute()).toHaveLength(14);

    // A worker starts beating: exactly one recovery alert.
    const heartbeat = await startHeartbeat(db, 'worker', silent, 60_000);
    try {
      const third = (await run()) as RunResult;
      expect(third.changes).toEqual([
        expect.objectContaining({ component: 'workers', from: 'down', to: 'ok' }),
      ]);
      await waitFor(async () => (hooks().length === 2 ? true : undefined));
      expect(JSON.parse(hooks()[1]!.body).changes).toHaveLength(1);
      // Nothing down any more: the plain ping, the one that keeps the outside check quiet.
      await waitFor(async () => (pings().length === 3 ? true : undefined));
      expect(pings()[2]!.url).toBe('/ping/abc');
    } finally {
      await heartbeat.stop();
    }
    expect(await db.kysely.selectFrom('worker_heartbeats').select('worker_id').execute()).toEqual([]);
    expect(smtp.mails).toHaveLength(4);
  });

  it('sees the web tier over HTTP: down when nothing answers, degraded while it sheds load', async () => {
    expect((await probeWeb({ baseUrl: webUrl })).status).toBe('ok');
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await monitor.handle(
      { db, config: { ...config, baseUrl: `http://127.0.0.1:${port}` }, logger: silent },
      {},
    );
    expect((result as { probes: { component: string; status: string }[] }).probes).toContainEqual(
      expect.objectContaining({ component: 'web', status: 'down' }),
    );
    const shedding = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => shedding.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(shedding.address() as AddressInfo).port}`;
      expect((await probeWeb({ baseUrl: url })).status).toBe('degraded');
    } finally {
      await new Promise<void>((resolve) => shedding.close(() => resolve()));
    }
  });

  it('flags silent workers, backups past the RPO and a failed drill; keeps 91 days of history', async () => {
    await db.kysely.deleteFrom('health_probes').execute();
    await db.kysely
      .insertInto('worker_heartbeats')
      .values([
        { worker_id: 'alive', role: 'worker', hostname: 'h', pid: 1 },
        {
          worker_id: 'silent',
          role: 'worker',
          hostname: 'h',
          pid: 2,
          beat_at: new Date(Date.now() - 600_000),
        },
      ])
      .execute();
    await db.kysely
      .insertInto('backups')
      .values({
        id: 'old',
        created_at: new Date(Date.now() - 8 * 3600_000),
        engine,
        size_bytes: 1,
        migration: null,
        manifest: '{}',
      })
      .execute();
    await db.kysely
      .insertInto('backup_drills')
      .values({ backup_id: 'old', started_at: new Date(), ok: false, rto_seconds: 3, checks: '[]' })
      .execute();
    await db.kysely
      .insertInto('health_probes')
      .values([
        { component: 'database', status: 'ok', checked_at: new Date(Date.now() - 92 * 86_400_000) },
        { component: 'database', status: 'ok', checked_at: new Date(Date.now() - 89 * 86_400_000) },
      ])
      .execute();
    await run();
    const latest = await db.kysely
      .selectFrom('health_probes')
      .select(['component', 'status', 'detail'])
      .where('checked_at', '>', new Date(Date.now() - 60_000))
      .execute();
    const by = Object.fromEntries(latest.map((r) => [r.component, r]));
    expect(by.workers).toMatchObject({ status: 'degraded', detail: '1 alive, 1 silent' });
    expect(by.backups!.status).toBe('degraded'); // 8 h old against a 6 h RPO
    expect(by['restore-drill']!.status).toBe('down');
    const old = await db.kysely
      .selectFrom('health_probes')
      .select('checked_at')
      .where('checked_at', '<', new Date(Date.now() - 80 * 86_400_000))
      .execute();
    expect(old).toHaveLength(1); // the 92-day-old row is gone, the 89-day-old one stays
  });

  it('runs through pg-boss on its cron', async () => {
    const worker = await startJobs(db, { supervise: true, logger: silent });
    try {
      await runWorkers(
        worker,
        { db, config: { ...config, alertWebhookUrl: undefined, alertEmail: undefined }, logger: silent },
        [monitor],
      );
      const schedules = await worker.boss.getSchedules();
      expect(schedules.map((s) => [s.name, s.cron])).toContainEqual(['monitor', '* * * * *']);
      await db.kysely.deleteFrom('health_probes').execute();
      await worker.boss.send('monitor', {});
      const rows = await waitFor(async () => {
        const r = await db.kysely.selectFrom('health_probes').select('component').execute();
        return r.length ? r : undefined;
      }, 30_000);
      expect(rows.map((r) => r.component)).toContain('database');
    } finally {
      await worker.stop();
    }
  });
});
