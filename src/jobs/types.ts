import type { Logger } from 'pino';
import type { Queue, WorkOptions } from 'pg-boss';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';
import type { Jobs } from './boss.ts';

export interface JobContext {
  db: Database;
  config: ResolvedConfig;
  logger: Logger;
  /** The queue itself, for jobs that enqueue others (set by runWorkers). */
  jobs?: Jobs;
}

/** One queue: its handler and, beside it, its schedule and retry options (STYLE §18). */
export interface JobDefinition<Data = unknown> {
  name: string;
  cron?: (config: ResolvedConfig) => string | undefined;
  queueOptions?: Omit<Queue, 'name'>;
  /** Consumers of this queue in one process (default 1) and their polling options. */
  concurrency?: (config: ResolvedConfig) => number;
  workOptions?: WorkOptions;
  handle(ctx: JobContext, data: Data): Promise<unknown>;
}
