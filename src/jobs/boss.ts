import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/kysely.ts';

export interface Jobs {
  boss: PgBoss;
  /** Throws when the queue tables cannot be reached. */
  ping(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartJobsOptions {
  /** Run maintenance and cron scheduling in this process (the worker or the embedded all-in-one process). */
  supervise: boolean;
  logger: Logger;
}

/**
 * pg-boss over our own SQL executor on both engines: the same code path for PGlite and PostgreSQL,
 * and one connection pool per process instead of two.
 */
export async function startJobs(db: Database, options: StartJobsOptions): Promise<Jobs> {
  const boss = new PgBoss({
    db: db.executor,
    schema: db.jobSchema,
    supervise: options.supervise,
    schedule: options.supervise,
    migrate: true,
  });
  boss.on('error', (error) => options.logger.error({ scope: 'job', err: error }, 'job queue error'));
  await boss.start();
  return {
    boss,
    ping: async () => {
      await db.executor.executeSql(`select 1 from "${db.jobSchema}".version limit 1`);
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
