import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { startJobs, type Jobs } from '../../src/jobs/boss.ts';
import { runWorkers } from '../../src/jobs/index.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';
import { waitFor } from '../helpers/wait.ts';

describe.each(engines)('housekeeping job on %s', (engine) => {
  let db: TestDatabase | undefined;
  let jobs: Jobs | undefined;

  afterEach(async () => {
    await jobs?.stop();
    await db?.close();
  });

  it('runs through pg-boss end to end: scheduled, consumed, expired counters and public reports removed, run recorded', async () => {
    db = await createTestDatabase(engine);
    const config = loadConfig({
      DATA_DIR: '/tmp/vioscan-unused',
      APP_SECRET: 'a'.repeat(64),
      BACKUP_KEY: 'b'.repeat(64),
      HOUSEKEEPING_CRON: '*/7 * * * *',
    });
    await db.kysely
      .insertInto('rate_limits')
      .values([
        { key: 'expired', hits: 5, reset_at: new Date(Date.now() - 60_000) },
        { key: 'live', hits: 2, reset_at: new Date(Date.now() + 60_000) },
      ])
      .execute();
    await db.kysely
      .insertInto('public_scans')
      .values([
        {
          id: 'gone',
          target: 'https://a.test/',
          report: '{}',
          expires_at: new Date(Date.now() - 90_000_000),
        },
        { id: 'expired', target: 'https://b.test/', report: '{}', expires_at: new Date(Date.now() - 1000) },
        { id: 'live', target: 'https://c.test/', report: '{}', expires_at: new Date(Date.now() + 60_000) },
      ])
      .execute();

    jobs = await startJobs(db, { supervise: true, logger: pino({ level: 'silent' }) });
    await runWorkers(jobs, { db, config, logger: pino({ level: 'silent' }) });

    const schedules = await jobs.boss.getSchedules();
    expect(schedules.map((s) => [s.name, s.cron])).toContainEqual(['housekeeping', '*/7 * * * *']);

    await jobs.boss.send('housekeeping', {});
    const runs = await waitFor(async () => {
      const rows = await db!.kysely.selectFrom('housekeeping_runs').selectAll().execute();
      return rows.length ? rows : undefined;
    });
    expect(runs[0]!.expired_rate_limits).toBe(1);
    const left = await db.kysely.selectFrom('rate_limits').select('key').execute();
    expect(left.map((r) => r.key)).toEqual(['live']);
    // Expired: the report is erased, its URL kept a day so the link can say it expired; older rows go.
    const reports = await db.kysely
      .selectFrom('public_scans')
      .select(['id', 'report'])
      .orderBy('id')
      .execute();
    expect(reports.map((r) => [r.id, r.report === null])).toEqual([
      ['expired', true],
      ['live', false],
    ]);
  });
});
