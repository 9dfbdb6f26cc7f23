import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startJobs, type Jobs } from '../../src/jobs/boss.ts';
import { createQueues } from '../../src/jobs/index.ts';
import { housekeeping } from '../../src/jobs/housekeeping.ts';
import { metrics } from '../../src/ops/metrics.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';
import { createTestApp, type TestApp } from './app-helpers.ts';

const TOKEN = 'metrics-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/** The value of one sample line, e.g. `name{a="b"} 3`, matched on its name and label fragments. */
function sample(text: string, name: string, ...labels: string[]): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each(engines)('GET /metrics on %s', (engine) => {
  let db: TestDatabase;
  let t: TestApp | undefined;
  let jobs: Jobs | undefined;

  // One migrated database per engine for the file; each test builds its own app on it.
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  }, 120_000);
  afterAll(async () => db?.close());

  afterEach(async () => {
    await jobs?.stop();
    jobs = undefined;
    await t?.close();
    t = undefined;
  });

  it('does not exist without METRICS_TOKEN', async () => {
    t = await createTestApp(engine, { db });
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No such resource.' } });
  });

  it('refuses a missing or wrong token with the 401 envelope', async () => {
    t = await createTestApp(engine, { db, env: { METRICS_TOKEN: TOKEN } });
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: TOKEN },
    ]) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: 'Authentication is required.' } });
    }
  });

  it('serves request histograms by route and status, process metrics, auth failures and scan durations', async () => {
    t = await createTestApp(engine, { db, env: { METRICS_TOKEN: TOKEN } });
    const before = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth });
    const failuresBefore = sample(before.body, 'vioscan_auth_failures_total', 'type="authz.denied"') ?? 0;
    const scansBefore =
      sample(before.body, 'vioscan_scan_duration_seconds_bucket', 'source="test"', 'le="5"') ?? 0;
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await t.app.inject({ method: 'GET', url: '/no/such/path' });
    // Not signed in on a staff route: one authz.denied security event.
    await t.app.inject({ method: 'GET', url: '/api/v1/admin/incidents' });
    metrics.scanDuration.observe({ source: 'test', outcome: 'ok' }, 3.2);

    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = res.body;
    expect(
      sample(body, 'vioscan_http_request_duration_seconds_count', 'route="/healthz"', 'status_code="200"'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sample(body, 'vioscan_http_request_duration_seconds_count', 'route="unmatched"', 'status_code="404"'),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'vioscan_auth_failures_total', 'type="authz.denied"')).toBe(failuresBefore + 1);
    // 3.2 s lands in the 5 s bucket and not in the 2 s one.
    expect(sample(body, 'vioscan_scan_duration_seconds_bucket', 'source="test"', 'le="5"')).toBe(
      scansBefore + 1,
    );
    expect(sample(body, 'vioscan_scan_duration_seconds_bucket', 'source="test"', 'le="2"')).toBe(0);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds\{pid="\d+"\} /m);
    expect(sample(body, 'process_resident_memory_bytes', `pid="${process.pid}"`)).toBeGreaterThan(0);
    // No backup yet: the age is -1, next to the RPO target.
    expect(sample(body, 'vioscan_backup_age_seconds', 'pid=')).toBe(-1);
    expect(sample(body, 'vioscan_backup_rpo_target_seconds', 'pid=')).toBe(6 * 3600);
  });

  it('reports queue depth and latency per queue, backup age and (PostgreSQL) the pool', async () => {
    t = await createTestApp(engine, { db, env: { METRICS_TOKEN: TOKEN } });
    jobs = await startJobs(db, { supervise: false, logger: pino({ level: 'silent' }) });
    await createQueues(jobs, [housekeeping]);
    await jobs.boss.send('housekeeping', {});
    await jobs.boss.send('housekeeping', {});
    // A job due two minutes ago that nobody started: the oldest-waiting gauge shows its age.
    await db.executor.executeSql(
      `update "${db.jobSchema}".job set start_after = now() - interval '120 seconds' where name = 'housekeeping'`,
    );
    await db.kysely
      .insertInto('backups')
      .values({
        id: 'b1',
        created_at: new Date(Date.now() - 3_600_000),
        engine,
        size_bytes: 1,
        migration: null,
        manifest: '{}',
      })
      .execute();

    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth });
    const body = res.body;
    expect(sample(body, 'vioscan_queue_jobs', 'queue="housekeeping"', 'state="created"')).toBe(2);
    expect(sample(body, 'vioscan_queue_jobs', 'queue="housekeeping"', 'state="active"')).toBe(0);
    expect(
      sample(body, 'vioscan_queue_oldest_waiting_seconds', 'queue="housekeeping"'),
    ).toBeGreaterThanOrEqual(119);
    const age = sample(body, 'vioscan_backup_age_seconds', 'pid=')!;
    expect(age).toBeGreaterThanOrEqual(3599);
    expect(age).toBeLessThan(3700);
    const pool = sample(body, 'vioscan_db_pool_connections', 'state="total"');
    if (engine === 'postgres') expect(pool).toBeGreaterThanOrEqual(1);
    else expect(pool).toBeUndefined();
  });
});
