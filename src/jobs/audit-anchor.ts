import { recordAnchor } from '../modules/audit/service.ts';
import type { JobDefinition } from './types.ts';

/**
 * Publishes the audit chain's head (count and latest hash) outside the database: to the log and,
 * when configured, to ALERT_WEBHOOK_URL. Someone who rewrites the whole chain and its head cannot
 * also rewrite what was published here, so `vioscan audit verify` plus the anchors catch it.
 */
export const auditAnchor: JobDefinition = {
  name: 'audit-anchor',
  cron: (config) => config.auditAnchorCron,
  queueOptions: { retryLimit: 3, retryBackoff: true, expireInSeconds: 120 },
  async handle({ db, config, logger }) {
    const anchor = await recordAnchor(db);
    const log = logger.child({ scope: 'ops' });
    const payload = {
      type: 'audit.anchor',
      count: anchor.seq,
      hash: anchor.hash,
      at: anchor.at.toISOString(),
    };
    log.info(payload, 'audit anchor');
    let delivered = false;
    if (config.alertWebhookUrl) {
      try {
        const response = await fetch(config.alertWebhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(10_000),
        });
        delivered = response.ok;
        if (!delivered) log.warn({ status: response.status }, 'audit anchor webhook refused');
      } catch (error) {
        log.warn({ err: error }, 'audit anchor webhook unreachable');
      }
    }
    return { ...payload, webhook: config.alertWebhookUrl ? delivered : 'not configured' };
  },
};
