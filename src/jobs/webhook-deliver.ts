import { deliverWebhook, WEBHOOK_QUEUE, WEBHOOK_RETRY } from '../modules/alerts/deliver.ts';
import type { JobDefinition } from './types.ts';

/** One webhook delivery attempt; a failure throws, and pg-boss retries with backoff (WEBHOOK_RETRY). */
export const webhookDeliver: JobDefinition<{ deliveryId: string }> = {
  name: WEBHOOK_QUEUE,
  queueOptions: { ...WEBHOOK_RETRY, expireInSeconds: 60 },
  workOptions: { pollingIntervalSeconds: 1 },
  async handle({ db, config }, data) {
    return deliverWebhook(db, config, data.deliveryId);
  },
};
