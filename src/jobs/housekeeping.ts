import { sql } from 'kysely';
import { EXPIRED_NOTICE_DAYS } from '../modules/public-scan/retention.ts';
import type { JobDefinition } from './types.ts';

/**
 * Removes expired rate-limit counters and public scan reports, and records what it did; runs on
 * HOUSEKEEPING_CRON (the daily retention purge deletes both too, as the data inventory says).
 */
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
    // An expired public report is cleared at once, with its screenshots and the artefacts of a browser
    // stage that never ran; its URL stays a day so the link can say it expired.
    await db.kysely
      .updateTable('public_scans')
      .set({ report: null, artefacts: null, browser_error: null, screenshots: null })
      .where('expires_at', '<=', sql<Date>`now()`)
      .where((eb) =>
        eb.or([
          eb('report', 'is not', null),
          eb('artefacts', 'is not', null),
          eb('screenshots', 'is not', null),
        ]),
      )
      .execute();
    await db.kysely
      .deleteFrom('public_scans')
      .where('expires_at', '<=', sql<Date>`now() - make_interval(days => ${EXPIRED_NOTICE_DAYS})`)
      .execute();
    await db.kysely.insertInto('housekeeping_runs').values({ expired_rate_limits: expired }).execute();
    return { expiredRateLimits: expired };
  },
};
