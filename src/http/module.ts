import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';
import type { Jobs } from '../jobs/boss.ts';
import type { PublicScanOptions } from '../modules/public-scan/service.ts';

/** What every route module receives as its plugin options. */
export interface ModuleContext {
  config: ResolvedConfig;
  db: Database;
  /** `boss` is there in a process that runs the queue (absent in some tests): modules that enqueue need it. */
  jobs: Pick<Jobs, 'ping'> & Partial<Pick<Jobs, 'boss'>>;
  version: string;
  /** Tests only (AppDeps.publicScans). */
  publicScans?: Partial<PublicScanOptions>;
}

/**
 * A capability's routes: an encapsulated fastify plugin with TypeBox inference, listed once in
 * src/http/routes.ts. Every route declares a schema (enforced at start-up).
 */
export type RouteModule = FastifyPluginAsyncTypebox<ModuleContext>;
