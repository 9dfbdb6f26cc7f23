import { dispatchAlerts, raiseOverdue } from '../modules/alerts/events.ts';
import type { JobDefinition } from './types.ts';

/** Hourly: findings that just passed their due date raise one alert per organisation. */
export const alertsOverdue: JobDefinition = {
  name: 'alerts-overdue',
  cron: () => '7 * * * *',
  queueOptions: { policy: 'singleton', retryLimit: 2, expireInSeconds: 300 },
  async handle({ db, jobs }) {
    if (!jobs) throw new Error('alerts-overdue needs the queue');
    const raised = await raiseOverdue(db);
    return { raised: raised.length, dispatched: await dispatchAlerts(db, jobs.boss) };
  },
};
