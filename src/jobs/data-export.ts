import { buildPendingExports } from '../modules/privacy/export.ts';
import type { JobDefinition } from './types.ts';

/** Builds requested data exports; routes cannot enqueue, so pending rows are picked up every minute. */
export const dataExport: JobDefinition = {
  name: 'data-export',
  cron: () => '* * * * *',
  queueOptions: { retryLimit: 3, retryBackoff: true, expireInSeconds: 600 },
  async handle({ db, config }) {
    return { built: await buildPendingExports(db, config) };
  },
};
