import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.ts';
import { postWebhook } from './alerts.ts';
import type { ProbeResult } from './probes.ts';

export type HeartbeatPing = 'not configured' | 'ok' | 'fail' | 'failed to send';

/**
 * Pings HEARTBEAT_URL after each monitor run (healthchecks.io convention: the URL itself for
 * "alive", `<url>/fail` while a component is down). The ping's absence is the signal that matters:
 * when the whole deployment is down, nothing inside it can send an alert, so an outside service
 * that expects a ping every minute raises it. Through the SSRF guard like every operator webhook.
 */
export async function pingHeartbeat(
  config: Pick<ResolvedConfig, 'heartbeatUrl' | 'allowPrivateTargets' | 'baseUrl'>,
  probes: ProbeResult[],
  logger: Logger,
): Promise<HeartbeatPing> {
  if (!config.heartbeatUrl) return 'not configured';
  const down = probes.filter((p) => p.status === 'down').map((p) => p.component);
  const url = down.length ? `${config.heartbeatUrl.replace(/\/$/, '')}/fail` : config.heartbeatUrl;
  const body = JSON.stringify({ instance: config.baseUrl, down });
  const sent = await postWebhook(
    url,
    body,
    {},
    { allowPrivate: config.allowPrivateTargets, timeoutMs: 10_000 },
  );
  if (!sent.ok) {
    logger
      .child({ scope: 'ops' })
      .error({ status: sent.status, error: sent.error }, 'heartbeat ping not sent');
    return 'failed to send';
  }
  return down.length ? 'fail' : 'ok';
}
