import PgBoss, { type Job, type WorkOptions } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database, SqlExecutor } from '../db/kysely.ts';

export interface Jobs {
  boss: PgBoss;
  /** Consumes `queue` as `boss.work` does; stop() waits for what these consumers have under way. */
  work(
    queue: string,
    options: WorkOptions,
    handler: (batch: Job<unknown>[]) => Promise<unknown>,
  ): Promise<string>;
  /** Throws when the queue tables cannot be reached. */
  ping(): Promise<void>;
  /** Stops fetching, waits (up to `stopTimeoutMs`) for the jobs in hand and their completions, then stops pg-boss. */
  stop(): Promise<void>;
}

export interface StartJobsOptions {
  /** Run maintenance and cron scheduling in this process (the worker or the embedded all-in-one process). */
  supervise: boolean;
  logger: Logger;
  /** How long a stop waits for running jobs (default 10 s); a job still running then is failed and retried later. */
  stopTimeoutMs?: number;
}

/** Promises not settled yet: the pg-boss statements and job handlers under way. */
class UnderWay {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Resolves once nothing is under way, or at the deadline. What settles may start more (a fetch
   * answered starts its job; a job done writes its completion) in the promise reactions that
   * follow, so it looks again after the event loop's next turn, when those have run.
   */
  async settle(deadline: number): Promise<void> {
    while (this.pending.size && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.pending]),
        new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now()))),
      ]);
      clearTimeout(timer);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * pg-boss over our own SQL executor on both engines: the same code path for PGlite and PostgreSQL,
 * and one connection pool per process instead of two.
 */
export async function startJobs(db: Database, options: StartJobsOptions): Promise<Jobs> {
  const underWay = new UnderWay();
  const executor: SqlExecutor = {
    executeSql: (text, values) => underWay.track(db.executor.executeSql(text, values)),
  };
  const boss = new PgBoss({
    db: executor,
    schema: db.jobSchema,
    supervise: options.supervise,
    schedule: options.supervise,
    migrate: true,
  });
  boss.on('error', (error) => options.logger.error({ scope: 'job', err: error }, 'job queue error'));
  await boss.start();
  const consumed = new Set<string>();
  let stopping: Promise<void> | undefined;
  return {
    boss,
    work: (queue, workOptions, handler) => {
      consumed.add(queue);
      return boss.work(queue, workOptions, (batch) => underWay.track(handler(batch)));
    },
    ping: async () => {
      await db.executor.executeSql(`select 1 from "${db.jobSchema}".version limit 1`);
    },
    // pg-boss's own graceful stop waits only for the jobs its consumers hold when it looks: a fetch
    // under way then brings a job that starts after the stop returned, and the completion of a job
    // that just ended is written without being awaited. Both then met a closed database, and the
    // job stayed active until it expired and ran again.
    stop: () =>
      (stopping ??= (async () => {
        const deadline = Date.now() + (options.stopTimeoutMs ?? 10_000);
        await Promise.all([...consumed].map((queue) => boss.offWork(queue)));
        await underWay.settle(deadline);
        await boss.stop({ graceful: true, wait: true, timeout: Math.max(0, deadline - Date.now()) });
      })()),
  };
}
