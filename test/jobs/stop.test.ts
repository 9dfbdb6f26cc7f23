/**
 * A stopping worker finishes what it has in hand before it lets the database close, on both
 * engines: a job whose fetch was under way when the stop began runs and is completed before
 * stop() returns, and so is the completion of a job that just ended. pg-boss's own graceful
 * stop looks only at the jobs its consumers hold, so without our wait stop() returned while the
 * held statement below was still pending.
 */
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../src/db/kysely.ts';
import { startJobs, type Jobs } from '../../src/jobs/boss.ts';
import { runWorkers } from '../../src/jobs/index.ts';
import type { JobDefinition } from '../../src/jobs/types.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';
import { waitFor } from '../helpers/wait.ts';
import { testConfig } from '../http/app-helpers.ts';

const silent = pino({ level: 'silent' });
const QUEUE = 'stop-probe';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than pg-boss's own graceful stop takes to return when it sees no job in hand. */
const HOLD_MS = 1500;

/** Holds the first statement that matches `pattern` once armed, until released. */
class Gate {
  private pattern: RegExp | undefined;
  private release: (() => void) | undefined;
  held = false;

  arm(pattern: RegExp) {
    this.pattern = pattern;
  }

  open() {
    this.release?.();
  }

  wrap(executor: SqlExecutor): SqlExecutor {
    return {
      executeSql: async (text, values) => {
        if (this.pattern?.test(text)) {
          this.pattern = undefined;
          this.held = true;
          await new Promise<void>((resolve) => (this.release = resolve));
        }
        return executor.executeSql(text, values);
      },
    };
  }
}

describe.each(engines)('stopping the job queue on %s', (engine) => {
  let db: TestDatabase;
  const done: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(engine);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  /** A job tagged `held` runs until `releaseHeld` is called. */
  let releaseHeld: () => void = () => {};
  const held = new Promise<void>((resolve) => (releaseHeld = resolve));

  async function startWorker(gate: Gate, stopTimeoutMs?: number): Promise<Jobs> {
    const jobs = await startJobs(
      { ...db, executor: gate.wrap(db.executor) },
      { supervise: false, logger: silent, ...(stopTimeoutMs ? { stopTimeoutMs } : {}) },
    );
    const probe: JobDefinition<{ tag: string }> = {
      name: QUEUE,
      workOptions: { pollingIntervalSeconds: 0.5 },
      handle: async (_ctx, data) => {
        await (data.tag === 'held' ? held : sleep(200));
        done.push(data.tag);
      },
    };
    await runWorkers(jobs, { db, config: testConfig(), logger: silent }, [probe as JobDefinition]);
    return jobs;
  }

  const stateOf = async (id: string) =>
    (
      await sql<{
        state: string;
      }>`select state from ${sql.table(`${db.jobSchema}.job`)} where id = ${id}`.execute(db.kysely)
    ).rows[0]?.state;

  /** Calls stop() while the gate holds a statement; answers whether stop() returned before the release. */
  async function stopWhileHeld(jobs: Jobs, gate: Gate): Promise<boolean> {
    let returned = false;
    const stopped = jobs.stop().then(() => (returned = true));
    await sleep(HOLD_MS);
    const early = returned;
    gate.open();
    await stopped;
    return early;
  }

  it('runs and completes a job whose fetch was under way when the stop began', async () => {
    const gate = new Gate();
    const jobs = await startWorker(gate);
    // The held fetch reads the queue only once released, so it finds the job sent meanwhile.
    gate.arm(/SKIP LOCKED/);
    const id = (await jobs.boss.send(QUEUE, { tag: 'fetched' }))!;
    await waitFor(async () => gate.held || undefined, 5000, 10);

    expect(await stopWhileHeld(jobs, gate)).toBe(false);
    expect(done).toContain('fetched');
    expect(await stateOf(id)).toBe('completed');
  });

  it('waits for the completion of a job that just ended', async () => {
    const gate = new Gate();
    const jobs = await startWorker(gate);
    gate.arm(/state = 'completed'/);
    const id = (await jobs.boss.send(QUEUE, { tag: 'ended' }))!;
    await waitFor(async () => gate.held || undefined, 5000, 10);
    expect(done).toContain('ended');

    expect(await stopWhileHeld(jobs, gate)).toBe(false);
    expect(await stateOf(id)).toBe('completed');
  });

  it('gives up on a job still running at its deadline: failed, to be retried, and stop() returns', async () => {
    const gate = new Gate();
    const jobs = await startWorker(gate, 1000);
    const id = (await jobs.boss.send(QUEUE, { tag: 'held' }))!;
    await waitFor(async () => ((await stateOf(id)) === 'active' ? true : undefined), 5000, 10);

    await jobs.stop();
    expect(done).not.toContain('held');
    expect(await stateOf(id)).toBe('retry');
    // The handler ends after all; its late completion changes nothing (the job is no longer active).
    releaseHeld();
    await waitFor(async () => (done.includes('held') ? true : undefined), 5000, 10);
    await sleep(200);
    expect(await stateOf(id)).toBe('retry');
  });
});
