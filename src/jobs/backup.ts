import { backupOptions, createBackup, pruneBackups, reportBackupHealth } from '../ops/backup/index.ts';
import type { JobDefinition } from './types.ts';

/** Takes an encrypted backup on BACKUP_CRON (every 6 h by default), prunes by retention, then checks RPO. */
export const backup: JobDefinition = {
  name: 'backup',
  cron: (config) => config.backupCron,
  // A retry soon after a failure keeps the recovery point close; a backup never runs twice at once.
  queueOptions: { policy: 'singleton', retryLimit: 2, retryDelay: 300, expireInSeconds: 3600 },
  async handle({ db, config, logger }) {
    const log = logger.child({ scope: 'ops' });
    try {
      const options = backupOptions(db, config);
      const manifest = await createBackup(options);
      const removed = await pruneBackups(options);
      log.info({ backupId: manifest.id, bytes: manifest.ciphertext.bytes, removed }, 'backup created');
      return { id: manifest.id, bytes: manifest.ciphertext.bytes, removed };
    } catch (error) {
      log.error({ err: error }, 'backup failed');
      throw error;
    } finally {
      await reportBackupHealth(db, config, log);
    }
  },
};
