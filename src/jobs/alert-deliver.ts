import { deliverEvent } from '../modules/alerts/deliver.ts';
import { DELIVER_QUEUE } from '../modules/alerts/events.ts';
import { createMailer } from '../modules/mail/mailer.ts';
import type { JobDefinition } from './types.ts';

/** One alert event: mails to members who want it now, one signed webhook delivery job per subscribed hook. */
export const alertDeliver: JobDefinition<{ eventId: string }> = {
  name: DELIVER_QUEUE,
  queueOptions: { retryLimit: 3, retryBackoff: true, expireInSeconds: 300 },
  async handle({ db, config, logger, jobs }, data) {
    if (!jobs) throw new Error('alert-deliver needs the queue');
    const mailer = createMailer(config, logger);
    try {
      return await deliverEvent(db, mailer, jobs.boss, data.eventId, config.baseUrl);
    } finally {
      mailer.close();
    }
  },
};
