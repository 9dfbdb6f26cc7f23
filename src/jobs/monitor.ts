import { recordProbes } from '../modules/status/repo.ts';
import { sendAlert } from '../ops/alerts.ts';
import { pingHeartbeat } from '../ops/heartbeat-ping.ts';
import { runProbes } from '../ops/probes.ts';
import type { JobDefinition } from './types.ts';

/**
 * The health monitor: probes every component (src/ops/probes.ts), stores the results in
 * `health_probes` (the status page's history) and alerts — webhook and/or email — only when a
 * component's state changes, never once per run of a lasting problem. Each run ends with a ping
 * to HEARTBEAT_URL (heartbeat-ping.ts), whose silence an outside service turns into an alert.
 */
export const monitor: JobDefinition = {
  name: 'monitor',
  cron: (config) => config.monitorCron,
  // A run that cannot finish within a minute is superseded by the next one.
  queueOptions: { retryLimit: 0, expireInSeconds: 55, policy: 'singleton' },
  async handle({ db, config, logger }) {
    const probes = await runProbes(db, config);
    const changes = await recordProbes(db, probes);
    const delivery = changes.length
      ? await sendAlert(
          config,
          { type: 'health.changed', instance: config.baseUrl, at: new Date().toISOString(), changes },
          logger,
        )
      : undefined;
    const heartbeat = await pingHeartbeat(config, probes, logger);
    return { probes, changes, delivery, heartbeat };
  },
};
