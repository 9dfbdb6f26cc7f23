import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import type { Logger } from 'pino';
import { Agent, buildConnector, request } from 'undici';
import type { ResolvedConfig } from '../config/load.ts';
import { createMailer } from '../modules/mail/mailer.ts';
import { checkTarget, guardedConnector } from '../scanner/gather/safe-fetch.ts';
import { defaultResolver, resolveAndCheck, type Resolver } from '../scanner/gather/guard.ts';

/**
 * What an operator alert says: `health.changed` (the monitor) lists each component whose state moved;
 * `self-scan.regressed` (src/modules/self-scan) lists what got worse since the previous self-scan.
 */
export interface Alert {
  type: 'health.changed' | 'self-scan.regressed';
  instance: string;
  at: string;
  changes: { component: string; from: string | null; to: string; detail: string }[];
}

export const SIGNATURE_HEADER = 'x-vioscan-signature';

/** The webhook signing key: derived from APP_SECRET so it is never configured or stored apart. */
export function webhookKey(appSecret: string): Buffer {
  return createHmac('sha256', Buffer.from(appSecret, 'hex')).update('vioscan-alert-webhook-v1').digest();
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`: the timestamp inside the MAC lets a
 * receiver refuse replays of an old alert (the Stripe webhook scheme).
 */
export function signWebhook(appSecret: string, body: string, at = Date.now()): string {
  const t = Math.floor(at / 1000);
  const mac = createHmac('sha256', webhookKey(appSecret)).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

export interface WebhookOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
  resolver?: Resolver;
}

/**
 * POSTs JSON through the SSRF guard (src/scanner/gather/safe-fetch.ts): the URL and every
 * resolved address are checked, and the socket dials only the checked address, so a webhook
 * URL (or a DNS answer for it) cannot reach metadata or, unless allowed, private services.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: WebhookOptions,
): Promise<{ ok: boolean; status?: number; error?: string }> {
  const resolver = options.resolver ?? defaultResolver;
  const target = await checkTarget(url, { allowPrivate: options.allowPrivate, resolver });
  if (!target.ok) return { ok: false, error: target.error.message };
  const timeout = options.timeoutMs ?? 10_000;
  const refuseLookup = (
    host: string,
    _o: unknown,
    cb: (e: Error | null, a: string | LookupAddress[], f?: number) => void,
  ) => cb(new Error(`unexpected DNS lookup of ${host}`), '', 4);
  const dial = buildConnector({ timeout, lookup: refuseLookup } as buildConnector.BuildOptions);
  const agent = new Agent({
    connect: guardedConnector((host) => resolveAndCheck(host, options.allowPrivate, resolver), dial),
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  try {
    const response = await request(target.url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'user-agent': 'VIOscan-alerts', ...headers },
      body,
    });
    await response.body.dump();
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return { ok, status: response.statusCode };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    await agent.close();
  }
}

function alertText(alert: Alert): string {
  const lines = alert.changes.map(
    (c) => `- ${c.component}: ${c.from ?? 'unknown'} → ${c.to}${c.detail ? ` (${c.detail})` : ''}`,
  );
  const what = alert.type === 'self-scan.regressed' ? 'self-scan regressed' : 'health changed';
  return `VIOscan ${what} at ${alert.at} on ${alert.instance}:\n\n${lines.join('\n')}\n`;
}

export interface Delivery {
  webhook: 'not configured' | 'delivered' | 'failed';
  email: 'not configured' | 'delivered' | 'failed';
}

/** Sends one alert to ALERT_WEBHOOK_URL (signed) and ALERT_EMAIL; failures are logged, never thrown. */
export async function sendAlert(config: ResolvedConfig, alert: Alert, logger: Logger): Promise<Delivery> {
  const log = logger.child({ scope: 'ops' });
  const delivery: Delivery = { webhook: 'not configured', email: 'not configured' };
  if (config.alertWebhookUrl) {
    const body = JSON.stringify(alert);
    const result = await postWebhook(
      config.alertWebhookUrl,
      body,
      { [SIGNATURE_HEADER]: signWebhook(config.appSecret, body) },
      { allowPrivate: config.allowPrivateTargets },
    );
    delivery.webhook = result.ok ? 'delivered' : 'failed';
    if (!result.ok) log.error({ status: result.status, error: result.error }, 'alert webhook not delivered');
  }
  if (config.alertEmail) {
    const mailer = createMailer(config, logger);
    try {
      const subject = `[VIOscan] ${alert.changes.map((c) => `${c.component} ${c.to}`).join(', ')}`;
      for (const to of config.alertEmail.split(',').map((a) => a.trim()))
        await mailer.send({ to, subject: subject.slice(0, 200), text: alertText(alert) });
      delivery.email = 'delivered';
    } catch (error) {
      delivery.email = 'failed';
      log.error({ err: error }, 'alert email not delivered');
    } finally {
      mailer.close();
    }
  }
  log.warn(
    { alert: alert.changes, delivery },
    alert.type === 'health.changed' ? 'health alert' : 'self-scan alert',
  );
  return delivery;
}
