import { runSelfScan } from '../modules/self-scan/run.ts';
import type { JobDefinition } from './types.ts';

/**
 * The self-scan (src/modules/self-scan/run.ts) on SELF_SCAN_CRON, daily by default (`off`: none):
 * BASE_URL scanned with the service's own scanner, a regression alerted to staff.
 */
export const selfScan: JobDefinition = {
  name: 'self-scan',
  cron: (config) => config.selfScanCron,
  // One at a time; a failure is stored and alerted, not retried (the next run is the retry).
  // SCAN_TIMEOUT_S is at most an hour, so a run that outlives that has hung.
  queueOptions: { policy: 'singleton', retryLimit: 0, expireInSeconds: 3900 },
  async handle({ db, config, logger }) {
    const { row, regressions, delivery } = await runSelfScan({ db, config, logger });
    return { id: row.id, status: row.status, grade: row.grade, regressions, delivery };
  },
};
