import { sendDigests } from '../modules/alerts/deliver.ts';
import { createMailer } from '../modules/mail/mailer.ts';
import type { JobDefinition } from './types.ts';

/** Daily at 07:00 UTC: the digest for members who chose it instead of one mail per alert. */
export const alertDigest: JobDefinition = {
  name: 'alert-digest',
  cron: () => '0 7 * * *',
  queueOptions: { policy: 'singleton', retryLimit: 2, expireInSeconds: 900 },
  async handle({ db, config, logger }) {
    const mailer = createMailer(config, logger);
    try {
      return { sent: await sendDigests(db, mailer, config.baseUrl) };
    } finally {
      mailer.close();
    }
  },
};
