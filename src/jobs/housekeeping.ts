import { sql } from 'kysely';
import type { JobDefinition } from './types.ts';

/** Removes expired rate-limit counters and records what it did; runs on HOUSEKEEPING_CRON. */
export const housekeeping: JobDefinition = {
  name: 'housekeeping',
  cron: (config) => config.housekeepingCron,
  queueOptions: { retryLimit: 3, retryBackoff: true, expireInSeconds: 300 },
  async handle({ db }) {
    const deleted = await db.kysely
      .deleteFrom('rate_limits')
      .where('reset_at', '<=', sql<Date>`now()`)
      .executeTakeFirst();
    const expired = Number(deleted.numDeletedRows);
    await db.kysely.insertInto('housekeeping_runs').values({ expired_rate_limits: expired }).execute();
    return { expiredRateLimits: expired };
  },
};
