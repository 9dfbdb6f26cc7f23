import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, type ResolvedConfig } from '../../src/config/load.ts';
import type { Engine } from '../../src/db/kysely.ts';
import { type AppDeps, buildApp, type BuildOptions } from '../../src/http/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';

/** A config that never touches DATA_DIR (explicit secrets) and logs nothing unless asked. */
export function testConfig(env: Record<string, string> = {}): ResolvedConfig {
  return loadConfig({
    NODE_ENV: 'test',
    APP_SECRET: 'a'.repeat(64),
    BACKUP_KEY: 'b'.repeat(64),
    LOG_LEVEL: 'silent',
    // A loaded CI machine can stall the event loop past the 1 s default; only
    // load-shedding.test.ts means to shed.
    MAX_EVENT_LOOP_DELAY_MS: '60000',
    // A test that means to open a browser says so; the others scan without one.
    BROWSER_SCANS: 'false',
    ...env,
  });
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  logger?: Logger;
  jobsPing?: () => Promise<void>;
  /** Share another app's database instead of creating one. */
  db?: TestDatabase;
  build?: BuildOptions;
  publicScans?: AppDeps['publicScans'];
}

export async function createTestApp(engine: Engine, options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase(engine));
  const app = await buildApp(
    {
      config: testConfig(options.env),
      db,
      jobs: { ping: options.jobsPing ?? (async () => {}) },
      version: '9.9.9-test',
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.publicScans ? { publicScans: options.publicScans } : {}),
    },
    options.build,
  );
  return {
    app,
    db,
    close: async () => {
      await app.close();
      if (!options.db) await db.close();
    },
  };
}

/** Headers every response must carry, whatever its type or status. */
export const REQUIRED_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'x-frame-options',
  'x-request-id',
] as const;

export function missingHeaders(headers: Record<string, unknown>): string[] {
  return REQUIRED_HEADERS.filter((name) => headers[name] === undefined);
}
