/**
 * A job announced as queued (announceJob) wakes its queue's idle consumers at once, on both
 * engines; without the announcement they see it only at their next poll. On PostgreSQL the
 * listening connection is replaced when the server drops it.
 */
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobs, type Jobs } from '../../src/jobs/boss.ts';
import { runWorkers } from '../../src/jobs/index.ts';
import type { JobDefinition } from '../../src/jobs/types.ts';
import { announceJob } from '../../src/jobs/wake.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';
import { waitFor } from '../helpers/wait.ts';
import { testConfig } from '../http/app-helpers.ts';

const silent = pino({ level: 'silent' });
const QUEUE = 'wake-probe';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(engines)('job announcements on %s', (engine) => {
  let db: TestDatabase;
  let jobs: Jobs;
  const handled: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    jobs = await startJobs(db, { supervise: false, logger: silent });
    const probe: JobDefinition<{ tag: string }> = {
      name: QUEUE,
      concurrency: () => 2,
      // A poll far longer than the test: only an announcement can wake the consumers in time.
      workOptions: { pollingIntervalSeconds: 60 },
      handle: async (_ctx, data) => void handled.push(data.tag),
    };
    await runWorkers(jobs, { db, config: testConfig(), logger: silent }, [probe as JobDefinition]);
    // Both consumers have made their first fetch and sleep until the next poll.
    await sleep(500);
  }, 120_000);

  afterAll(async () => {
    await jobs?.stop();
    await db?.close();
  });

  const handledOf = (tag: string) => async () => (handled.includes(tag) ? true : undefined);

  it('an idle consumer takes a queued job when it is announced, not before its next poll', async () => {
    await jobs.boss.send(QUEUE, { tag: 'first' });
    await sleep(1500);
    expect(handled).toEqual([]);
    await announceJob(db, QUEUE);
    await waitFor(handledOf('first'), 5000, 20);
  });

  // PGlite has no connection to drop: the test exists on PostgreSQL only (not a skipped test).
  if (engine === 'postgres') {
    it('listens again after the server drops the listening connection', async () => {
      const killed = await sql<{ pid: number }>`
        select pg_terminate_backend(pid) as pid from pg_stat_activity
        where query = ${`listen "${db.jobSchema}_queued"`}`.execute(db.kysely);
      expect(killed.rows).toHaveLength(1);
      await sleep(2000);
      await jobs.boss.send(QUEUE, { tag: 'second' });
      await announceJob(db, QUEUE);
      await waitFor(handledOf('second'), 5000, 20);
    });
  }
});
