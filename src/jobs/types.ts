import type { Logger } from 'pino';
import type { Queue } from 'pg-boss';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';

export interface JobContext {
  db: Database;
  config: ResolvedConfig;
  logger: Logger;
}

/** One queue: its handler and, beside it, its schedule and retry options (STYLE §18). */
export interface JobDefinition<Data = unknown> {
  name: string;
  cron?: (config: ResolvedConfig) => string | undefined;
  queueOptions?: Omit<Queue, 'name'>;
  handle(ctx: JobContext, data: Data): Promise<unknown>;
}
