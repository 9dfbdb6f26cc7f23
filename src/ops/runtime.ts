import path from 'node:path';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.ts';
import { openDatabase, type Database } from '../db/kysely.ts';
import { migrateUp } from '../db/migrate.ts';
import { startJobs, type Jobs } from '../jobs/boss.ts';
import { runWorkers } from '../jobs/index.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
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

export function pgliteDir(config: ResolvedConfig): string {
  return path.join(config.dataDir, 'pgdata');
}

/** Opens the database the configuration names, taking DATA_DIR's single-owner lock on the embedded engine. */
export async function openConfiguredDatabase(
  config: ResolvedConfig,
  command: string,
): Promise<{ db: Database; lock?: DataDirLock }> {
  if (config.engine === 'postgres') {
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      schema: config.databaseSchema,
      poolSize: config.databasePoolSize,
    });
    return { db };
  }
  const lock = acquireDataDirLock(config.dataDir, command);
  try {
    const db = await openDatabase({ pgliteDir: pgliteDir(config), schema: config.databaseSchema });
    return { db, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
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
