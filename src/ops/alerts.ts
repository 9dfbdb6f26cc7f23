import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import type { Logger } from 'pino';
import { Agent, buildConnector, request } from 'undici';
import type { ResolvedConfig } from '../config/load.ts';
import { createMailer } from '../modules/mail/mailer.ts';
import { checkTarget, guardedConnector } from '../scanner/gather/safe-fetch.ts';
import { defaultResolver, resolveAndCheck, type Resolver } from '../scanner/gather/guard.ts';

/**
 * The monitor's alert (`health.changed`) lists each component whose state moved; the self-scan's
 * (`self-scan.regressed`, src/modules/self-scan) lists what got worse since the previous self-scan.
 */
export interface HealthAlert {
  type: 'health.changed' | 'self-scan.regressed';
  instance: string;
  at: string;
  changes: { component: string; from: string | null; to: string; detail: string }[];
}

/** The dependency audit's alert: advisories newly affecting a locked package, with their deadlines. */
export interface AdvisoryAlert {
  type: 'dependency.advisories';
  instance: string;
  at: string;
  advisories: {
    id: string;
    package: string;
    version: string;
    severity: string;
    dueAt: string;
    fixedIn: string[];
    summary: string;
    url: string;
  }[];
}

/** The dependency audit could not reach its advisory source after a check that did (sent once). */
export interface AdvisorySourceAlert {
  type: 'dependency.source_unreachable';
  instance: string;
  at: string;
  source: string;
  error: string;
}

/** What an operator alert says. */
export type Alert = HealthAlert | AdvisoryAlert | AdvisorySourceAlert;

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

/** The e-mail form of an alert: a subject that says what happened and a plain-text body. */
function alertMessage(alert: Alert): { subject: string; text: string } {
  switch (alert.type) {
    case 'health.changed':
    case 'self-scan.regressed': {
      const lines = alert.changes.map(
        (c) => `- ${c.component}: ${c.from ?? 'unknown'} → ${c.to}${c.detail ? ` (${c.detail})` : ''}`,
      );
      const what = alert.type === 'self-scan.regressed' ? 'self-scan regressed' : 'health changed';
      return {
        subject: alert.changes.map((c) => `${c.component} ${c.to}`).join(', '),
        text: `VIOscan ${what} at ${alert.at} on ${alert.instance}:\n\n${lines.join('\n')}\n`,
      };
    }
    case 'dependency.advisories': {
      const lines = alert.advisories.map(
        (a) =>
          `- ${a.severity.toUpperCase()} ${a.id} in ${a.package}@${a.version}: ${a.summary}\n  fix by ${a.dueAt}; ${a.fixedIn.length ? `fixed in ${a.fixedIn.join(', ')}` : 'no fixed version published'}; ${a.url}`,
      );
      const worst = alert.advisories[0]!;
      return {
        subject: `${alert.advisories.length} new dependency advisor${alert.advisories.length === 1 ? 'y' : 'ies'} (${worst.severity} ${worst.package})`,
        text: `New advisories affect the dependencies of ${alert.instance} (checked ${alert.at}):\n\n${lines.join('\n')}\n\nUpdate policy: docs/operations.md#dependencies-and-updates\n`,
      };
    }
    case 'dependency.source_unreachable':
      return {
        subject: 'dependency advisory check could not reach its source',
        text: `The dependency advisory check on ${alert.instance} at ${alert.at} could not reach ${alert.source}: ${alert.error}\nDependencies are not being checked until it answers again.\n`,
      };
  }
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
      const { subject, text } = alertMessage(alert);
      for (const to of config.alertEmail.split(',').map((a) => a.trim()))
        await mailer.send({ to, subject: `[VIOscan] ${subject}`.slice(0, 200), text });
      delivery.email = 'delivered';
    } catch (error) {
      delivery.email = 'failed';
      log.error({ err: error }, 'alert email not delivered');
    } finally {
      mailer.close();
    }
  }
  log.warn({ alert: 'changes' in alert ? alert.changes : alert.type, delivery }, 'ops alert');
  return delivery;
}
