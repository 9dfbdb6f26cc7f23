import { enqueueDueScans } from '../modules/schedules/service.ts';
import type { JobDefinition } from './types.ts';

/** Every minute: queue the scans that sites' schedules (daily, weekly, cron) call for. */
export const scanScheduler: JobDefinition = {
  name: 'scan-scheduler',
  cron: () => '* * * * *',
  queueOptions: { policy: 'singleton', retryLimit: 1, expireInSeconds: 120 },
  async handle({ db, config, logger, jobs }) {
    if (!jobs) throw new Error('scan-scheduler needs the queue');
    return { queued: await enqueueDueScans(db, config, jobs.boss, logger) };
  },
};
