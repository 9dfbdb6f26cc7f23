import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';
import { migrateUp } from '../db/migrate.ts';
import { startJobs, type Jobs } from '../jobs/boss.ts';
import { runWorkers } from '../jobs/index.ts';
import { openConfiguredDatabase } from './database.ts';
import { startHeartbeat } from './heartbeat.ts';

/** web: HTTP only; worker: job consumers and cron; all: both (the embedded engine's one process). */
export type Role = 'web' | 'worker' | 'all';

export interface Runtime {
  config: ResolvedConfig;
  logger: Logger;
  db: Database;
  jobs: Jobs;
  close(): Promise<void>;
}

export async function openRuntime(
  config: ResolvedConfig,
  logger: Logger,
  role: Role,
  command: string,
): Promise<Runtime> {
  const started = Date.now();
  const { db, lock } = await openConfiguredDatabase(config, command);
  const log = logger.child({ scope: 'ops' });
  log.info({ engine: db.engine, ms: Date.now() - started }, 'database open');
  try {
    const applied = await migrateUp(db);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');
    const jobs = await startJobs(db, { supervise: role !== 'web', logger });
    if (role !== 'web') await runWorkers(jobs, { db, config, logger });
    const heartbeat = role !== 'web' ? await startHeartbeat(db, role, logger) : undefined;
    log.info({ ms: Date.now() - started }, 'runtime ready');
    let closed = false;
    return {
      config,
      logger,
      db,
      jobs,
      close: async () => {
        if (closed) return;
        closed = true;
        await heartbeat?.stop();
        await jobs.stop();
        await db.close();
        lock?.release();
      },
    };
  } catch (error) {
    await db.close();
    lock?.release();
    throw error;
  }
}
