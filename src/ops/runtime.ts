import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';
import { migrateUp } from '../db/migrate.ts';
import { startJobs, type Jobs } from '../jobs/boss.ts';
import { openConfiguredDatabase } from './database.ts';
import { startHeartbeat } from './heartbeat.ts';

/** web: HTTP only; worker: job consumers and cron; all: both (the embedded engine's one process). */
export type Role = 'web' | 'worker' | 'all';

export interface Runtime {
  config: ResolvedConfig;
  logger: Logger;
  db: Database;
  jobs: Jobs;
  /**
   * Job consumers, cron schedules and the heartbeat (worker and all roles; nothing for web). A
   * worker starts them in openRuntime; the embedded all-in-one process once it listens, so the
   * jobs due at start-up do not hold the first requests back.
   */
  startConsumers(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations and starts the job queue: what /readyz checks. */
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
    if (applied.length) log.info({ migrations: applied, ms: Date.now() - started }, 'migrations applied');
    // The process exits by force SHUTDOWN_TIMEOUT_MS after a stop began: leave the jobs 2 s less,
    // so a job still running then is failed (and retried elsewhere) before the database closes.
    const jobs = await startJobs(db, {
      supervise: role !== 'web',
      logger,
      stopTimeoutMs: Math.max(1_000, config.shutdownTimeoutMs - 2_000),
    });
    log.info({ ms: Date.now() - started }, 'job queue started');
    let heartbeat: Awaited<ReturnType<typeof startHeartbeat>> | undefined;
    let consumers: Promise<void> | undefined;
    const startConsumers = () =>
      (consumers ??= (async () => {
        if (role !== 'web') {
          // Every job handler and what it needs (the scanner, the browser stage, mail, backups):
          // loaded here rather than at import so that none of it stands between start and ready.
          const { runWorkers } = await import('../jobs/index.ts');
          await runWorkers(jobs, { db, config, logger });
          heartbeat = await startHeartbeat(db, role, logger);
        }
        log.info({ ms: Date.now() - started }, 'runtime ready');
      })());
    let closed = false;
    const runtime: Runtime = {
      config,
      logger,
      db,
      jobs,
      startConsumers,
      close: async () => {
        if (closed) return;
        closed = true;
        await consumers?.catch(() => undefined);
        await heartbeat?.stop();
        await jobs.stop();
        await db.close();
        lock?.release();
      },
    };
    if (role === 'worker') await startConsumers();
    return runtime;
  } catch (error) {
    await db.close();
    lock?.release();
    throw error;
  }
}
