import { runRetentionPurge } from '../modules/privacy/purge.ts';
import type { JobDefinition } from './types.ts';

/** Applies the data inventory's retention periods (src/modules/privacy/inventory.ts) on RETENTION_PURGE_CRON. */
export const retentionPurge: JobDefinition = {
  name: 'retention-purge',
  cron: (config) => config.retentionPurgeCron,
  queueOptions: { retryLimit: 3, retryBackoff: true, expireInSeconds: 900 },
  async handle({ db, config }) {
    const outcomes = await runRetentionPurge(db, config);
    return {
      purged: outcomes
        .filter((o) => o.affected)
        .map((o) => ({ table: o.table, action: o.action, affected: o.affected })),
    };
  },
};
