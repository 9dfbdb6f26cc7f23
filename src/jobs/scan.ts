import { dispatchAlerts, raiseScanAlerts } from '../modules/alerts/events.ts';
import { runScanJobWithReport } from '../modules/scans/run.ts';
import { SCAN_QUEUE } from '../modules/scans/service.ts';
import type { JobDefinition } from './types.ts';

/**
 * Runs one requested scan (src/modules/scans/run.ts). SCAN_WORKER_CONCURRENCY consumers per
 * process; leases cap the total at SCAN_CONCURRENCY and keep one scan per host. Expiry and
 * retries are set per job from SCAN_TIMEOUT_S (scanJobOptions).
 */
export const scan: JobDefinition<{ scanId: string }> = {
  name: SCAN_QUEUE,
  queueOptions: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
  concurrency: (config) => config.scanWorkerConcurrency,
  workOptions: { pollingIntervalSeconds: 1 },
  async handle({ db, config, logger, jobs }, data) {
    const { report, ...result } = await runScanJobWithReport({ db, config, logger }, data.scanId);
    // Alerts follow the stored result: grade drop, new critical/high findings (src/modules/alerts).
    // The report just stored is handed over rather than read back and parsed again.
    if (result.status === 'succeeded' && jobs) {
      await raiseScanAlerts(db, data.scanId, report);
      await dispatchAlerts(db, jobs.boss);
    }
    // pg-boss keeps what a handler returns as the job's output: the status, not the whole report.
    return result;
  },
};
