import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PgBoss from 'pg-boss';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Jobs } from '../../../src/jobs/boss.ts';
import { runWorkers } from '../../../src/jobs/index.ts';
import { scan as scanJob } from '../../../src/jobs/scan.ts';
import type { JobDefinition } from '../../../src/jobs/types.ts';
import { requestScan } from '../../../src/modules/scans/service.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { exited, startCli } from '../../helpers/cli.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import { testConfig } from '../../http/app-helpers.ts';

/**
 * A real `vioscan worker` process is killed with SIGKILL in the middle of a scan; the job
 * expires, pg-boss retries it on another worker, and exactly one result is stored. PostgreSQL
 * only: the embedded engine belongs to one process, so there is no second worker to crash.
 */
describe.each(engines.filter((e) => e === 'postgres'))('a worker killed mid-scan on %s', (engine) => {
  let db: TestDatabase | undefined;
  let site: RunningSite | undefined;
  let boss: PgBoss | undefined;
  let hits = 0;
  afterAll(async () => {
    await boss?.stop({ graceful: true, wait: true, timeout: 15_000 });
    await db?.close();
    await site?.close();
  });

  it('retries the job elsewhere and stores one result', async () => {
    db = await createTestDatabase(engine);
    // The first page load hangs (the worker is "mid-scan" when killed); later ones answer at once.
    site = await startTestSite({
      tls: false,
      http: true,
      routes: {
        '/': () => ({
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<!doctype html><title>x</title>',
          ...(hits++ === 0 ? { delayMs: 600_000 } : {}),
        }),
      },
    });
    const env = {
      ...db.env,
      NODE_ENV: 'test',
      APP_SECRET: 'a'.repeat(64),
      BACKUP_KEY: 'b'.repeat(64),
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vioscan-crash-')),
      ALLOW_PRIVATE_TARGETS: 'true',
      SCAN_TIMEOUT_S: '10',
      LOG_LEVEL: 'info',
    };
    const config = testConfig(env);
    const logger = pino({ level: 'silent' });
    // This process supervises the queue with frequent maintenance, so the expired job is seen soon.
    boss = new PgBoss({
      db: db.executor,
      schema: db.jobSchema,
      supervise: true,
      schedule: false,
      migrate: true,
      maintenanceIntervalSeconds: 2,
    });
    await boss.start();
    const jobs = {
      boss,
      work: boss.work.bind(boss) as Jobs['work'],
      ping: async () => {},
      stop: async () => {},
    };
    await boss.createQueue('scan', { name: 'scan', ...scanJob.queueOptions });

    const orgId = '00000000-0000-4000-8000-0000000000f1';
    const siteId = '00000000-0000-4000-8000-0000000000f2';
    await db.kysely.insertInto('orgs').values({ id: orgId, name: 'Crash' }).execute();
    await db.kysely
      .insertInto('sites')
      .values({
        id: siteId,
        org_id: orgId,
        url: site.url,
        host: '127.0.0.1',
        name: 'fixture',
        verification_token: 'x',
      })
      .execute();
    const scan = await requestScan(db, config, boss, { orgId, siteId, source: 'api', requestedBy: null });

    const worker = await startCli(['worker'], env, /runtime ready/, 60_000);
    await waitFor(async () => (hits > 0 ? true : undefined), 60_000);
    const running = await db.kysely
      .selectFrom('scans')
      .selectAll()
      .where('id', '=', scan.id)
      .executeTakeFirstOrThrow();
    expect(running.status).toBe('running');
    worker.child.kill('SIGKILL');
    expect((await exited(worker.child)).signal).toBe('SIGKILL');

    await runWorkers(jobs, { db, config, logger }, [scanJob as JobDefinition]);
    const done = await waitFor(
      async () => {
        const row = await db!.kysely
          .selectFrom('scans')
          .selectAll()
          .where('id', '=', scan.id)
          .executeTakeFirstOrThrow();
        return row.status === 'succeeded' ? row : undefined;
      },
      240_000,
      500,
    );
    expect(done.attempts).toBe(2);
    expect(JSON.parse(done.report!).grade).toBe(done.grade);
    const leases = await db.kysely.selectFrom('scan_leases').selectAll().execute();
    expect(leases).toEqual([]);
    const results = await db.kysely
      .selectFrom('scans')
      .select('id')
      .where('report', 'is not', null)
      .execute();
    expect(results).toHaveLength(1);
  }, 300_000);
});
