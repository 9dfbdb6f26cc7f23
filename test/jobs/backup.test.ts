import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { startJobs, type Jobs } from '../../src/jobs/boss.ts';
import { runWorkers } from '../../src/jobs/index.ts';
import { listManifests } from '../../src/ops/backup/index.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';
import { waitFor } from '../helpers/wait.ts';

describe.each(engines)('backup jobs on %s', (engine) => {
  let db: TestDatabase | undefined;
  let jobs: Jobs | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await jobs?.stop();
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('schedules backup and drill on their crons, and a backup job uses the open database', async () => {
    db = await createTestDatabase(engine);
    dir = await mkdtemp(path.join(tmpdir(), 'vioscan-backup-job-'));
    const config = loadConfig({
      ...db.env,
      DATA_DIR: path.join(dir, 'data'),
      BACKUP_DIR: path.join(dir, 'backups'),
      APP_SECRET: 'a'.repeat(64),
      BACKUP_KEY: 'b'.repeat(64),
      BACKUP_CRON: '15 */4 * * *',
    });
    const logger = pino({ level: 'silent' });
    jobs = await startJobs(db, { supervise: true, logger });
    await runWorkers(jobs, { db, config, logger });

    const schedules = (await jobs.boss.getSchedules()).map((s) => [s.name, s.cron]);
    expect(schedules).toContainEqual(['backup', '15 */4 * * *']);
    expect(schedules).toContainEqual(['backup-drill', '30 3 * * 0']);

    await jobs.boss.send('backup', {});
    const manifests = await waitFor(async () => {
      const found = await listManifests(config.backupDir);
      return found.length ? found : undefined;
    }, 120_000);
    expect(manifests[0]!.engine).toBe(engine);
    const recorded = await waitFor(async () => {
      const rows = await db!.kysely.selectFrom('backups').select('id').execute();
      return rows.length ? rows : undefined;
    });
    expect(recorded.map((r) => r.id)).toEqual([manifests[0]!.id]);
  }, 300_000);
});
