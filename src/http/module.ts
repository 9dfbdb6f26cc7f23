import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';
import type { Jobs } from '../jobs/boss.ts';

/** What every route module receives as its plugin options. */
export interface ModuleContext {
  config: ResolvedConfig;
  db: Database;
  jobs: Pick<Jobs, 'ping'>;
  version: string;
}

/**
 * A capability's routes: an encapsulated fastify plugin with TypeBox inference, listed once in
 * src/http/routes.ts. Every route declares a schema (enforced at start-up).
 */
export type RouteModule = FastifyPluginAsyncTypebox<ModuleContext>;
