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

/** Headers every JSON answer must carry, whatever its status (the API set). */
export const REQUIRED_API_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-resource-policy',
  'x-frame-options',
  'x-request-id',
] as const;

/** Headers every other answer (a document: HTML, text, files) must carry, whatever its status. */
export const REQUIRED_DOCUMENT_HEADERS = [
  ...REQUIRED_API_HEADERS,
  'permissions-policy',
  'cross-origin-opener-policy',
] as const;

/** The required headers an answer lacks, by its type: JSON or a document. */
export function missingHeaders(headers: Record<string, unknown>): string[] {
  const json = /^application\/(?:[\w.-]+\+)?json\b/i.test(String(headers['content-type'] ?? ''));
  const required = json ? REQUIRED_API_HEADERS : REQUIRED_DOCUMENT_HEADERS;
  return required.filter((name) => headers[name] === undefined);
}
