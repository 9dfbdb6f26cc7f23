import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Engine } from '../../../src/db/kysely.ts';
import { buildApp, type AppDeps } from '../../../src/http/app.ts';
import { startJobs, type Jobs } from '../../../src/jobs/boss.ts';
import { runWorkers } from '../../../src/jobs/index.ts';
import { scan as scanJob } from '../../../src/jobs/scan.ts';
import type { JobDefinition } from '../../../src/jobs/types.ts';
import { createTestDatabase } from '../../helpers/engines.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { BASE_URL, signIn, startSmtp, type IdentityTestApp, type SignedIn } from '../auth/helpers.ts';

export interface ServiceTestApp extends IdentityTestApp {
  jobs: Jobs;
  config: ReturnType<typeof testConfig>;
}

/**
 * The app with a real pg-boss queue and real scan workers in this process (only the scan
 * queue, so no cron job fires during a test), loopback targets allowed, mail over real SMTP.
 */
export async function createServiceApp(
  engine: Engine,
  env: Record<string, string> = {},
  definitions: JobDefinition[] = [scanJob as JobDefinition],
  deps: Pick<AppDeps, 'publicScans'> = {},
): Promise<ServiceTestApp> {
  const smtp = await startSmtp();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-svc-'));
  const config = testConfig({
    BASE_URL,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_TARGETS: 'true',
    MAX_EVENT_LOOP_DELAY_MS: '600000',
    RATE_LIMIT_MAX: '100000',
    SCAN_TIMEOUT_S: '30',
    ...env,
  });
  const db = await createTestDatabase(engine);
  const logger = pino({ level: 'silent' });
  const jobs = await startJobs(db, { supervise: true, logger });
  await runWorkers(jobs, { db, config, logger }, definitions);
  const app = await buildApp({ config, db, jobs, logger, version: '9.9.9-test', ...deps });
  await app.ready();
  return {
    app,
    db,
    jobs,
    config,
    mails: smtp.mails,
    dataDir,
    close: async () => {
      await app.close();
      await jobs.stop();
      await db.close();
      await smtp.close();
    },
  };
}

export async function createOrg(t: ServiceTestApp, user: SignedIn, name = 'Org'): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/orgs',
    headers: user.headers,
    payload: { name },
  });
  if (res.statusCode !== 201) throw new Error(`org: ${res.body}`);
  return res.json<{ id: string }>().id;
}

export async function createToken(
  t: ServiceTestApp,
  user: SignedIn,
  orgId: string,
  scopes: string[],
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/tokens`,
    headers: user.headers,
    payload: { name: 'ci', scopes },
  });
  if (res.statusCode !== 201) throw new Error(`token: ${res.body}`);
  return res.json<{ token: string }>().token;
}

export async function addSite(
  t: ServiceTestApp,
  user: SignedIn,
  orgId: string,
  url: string,
): Promise<{ id: string; verification: { token: string } }> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/sites`,
    headers: user.headers,
    payload: { url },
  });
  if (res.statusCode !== 201) throw new Error(`site: ${res.body}`);
  return res.json();
}

export { signIn };
