import { backupOptions, reportBackupHealth, runDrill } from '../ops/backup/index.ts';
import type { JobDefinition } from './types.ts';

/** Weekly restore drill of the latest backup into a scratch database; a failure raises the backup alert. */
export const backupDrill: JobDefinition = {
  name: 'backup-drill',
  cron: (config) => config.backupDrillCron,
  queueOptions: { policy: 'singleton', retryLimit: 0, expireInSeconds: 3 * 3600 },
  async handle({ db, config, logger }) {
    const log = logger.child({ scope: 'ops' });
    const result = await runDrill(backupOptions(db, config));
    log.info({ drill: result }, result.ok ? 'restore drill passed' : 'restore drill failed');
    await reportBackupHealth(db, config, log);
    return { ok: result.ok, rtoSeconds: result.rtoSeconds, backupId: result.backupId };
  },
};
