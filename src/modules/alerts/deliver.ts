import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { AlertType } from '../../db/types.ts';
import type { Mailer } from '../mail/mailer.ts';
import { ALERT_TYPES } from './events.ts';
import { privacyChangeLines, type PrivacyChanges } from './privacy-changes.ts';
import { postWebhook, sign } from './webhook.ts';

export const WEBHOOK_QUEUE = 'webhook-deliver';
/** Webhook retries: pg-boss backoff (retryDelay doubling) over 6 attempts, about 10 minutes in all. */
export const WEBHOOK_RETRY = { retryLimit: 5, retryDelay: 10, retryBackoff: true } as const;

const subjects: Record<AlertType, (d: Record<string, unknown>) => string> = {
  'grade.dropped': (d) =>
    `VIOscan: grade dropped from ${String(d.from)} to ${String(d.to)} on ${String(d.site)}`,
  'finding.new_high': (d) => `VIOscan: new critical or high findings on ${String(d.site)}`,
  'finding.overdue': () => 'VIOscan: findings are past their remediation deadline',
  'privacy.changed': (d) => `VIOscan: new tracking on ${String(d.site)}`,
};

/** Where the reader acts on an alert: the scan's report, or the board of overdue findings. */
function linkOf(type: AlertType, details: Record<string, unknown>, baseUrl: string): string | undefined {
  if (type === 'finding.overdue') return `See the overdue findings: ${baseUrl}/findings?due=overdue`;
  const scanId = typeof details.scanId === 'string' ? details.scanId : undefined;
  return scanId ? `Open the report: ${baseUrl}/scans/${encodeURIComponent(scanId)}` : undefined;
}

export function describeEvent(
  type: AlertType,
  details: Record<string, unknown>,
  baseUrl: string,
): { subject: string; text: string } {
  const findings = (details.findings as { title: string; severity: string }[] | undefined) ?? [];
  const lines =
    type === 'privacy.changed'
      ? privacyChangeLines(details as unknown as PrivacyChanges)
      : findings.map((f) => `- [${f.severity}] ${f.title}`);
  const link = linkOf(type, details, baseUrl);
  const text = [subjects[type](details), '', ...lines, ...(link ? ['', link] : [])].join('\n');
  return { subject: subjects[type](details), text };
}

/** Who is mailed for an event right away: members whose preferences include it and who do not take a digest. */
export async function recipients(db: Database, orgId: string, type: AlertType, digest: boolean) {
  const rows = await db.kysely
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .leftJoin('notification_preferences as p', (j) =>
      j.onRef('p.user_id', '=', 'memberships.user_id').onRef('p.org_id', '=', 'memberships.org_id'),
    )
    .select(['users.id', 'users.email', 'p.email_events', 'p.digest'])
    .where('memberships.org_id', '=', orgId)
    .where('users.status', '=', 'active')
    .execute();
  return rows.filter((r) => {
    const events = r.email_events ? (JSON.parse(r.email_events) as AlertType[]) : ALERT_TYPES;
    return events.includes(type) && Boolean(r.digest) === digest;
  });
}

/** One event: mail the members who want it now, and queue one signed delivery per subscribed webhook. */
export async function deliverEvent(
  db: Database,
  mailer: Mailer,
  boss: PgBoss,
  eventId: string,
  baseUrl: string,
): Promise<{ mailed: number; webhooks: number }> {
  const event = await db.kysely
    .selectFrom('alert_events')
    .selectAll()
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) return { mailed: 0, webhooks: 0 };
  const details = JSON.parse(event.details) as Record<string, unknown>;
  const { subject, text } = describeEvent(event.type, details, baseUrl);
  const people = await recipients(db, event.org_id, event.type, false);
  for (const person of people) await mailer.send({ to: person.email, subject, text });
  const hooks = await db.kysely
    .selectFrom('webhooks')
    .selectAll()
    .where('org_id', '=', event.org_id)
    .execute();
  let queued = 0;
  for (const hook of hooks) {
    if (!(JSON.parse(hook.events) as AlertType[]).includes(event.type)) continue;
    const delivery = await db.kysely
      .insertInto('webhook_deliveries')
      .values({ id: randomUUID(), webhook_id: hook.id, event_id: event.id })
      .onConflict((c) => c.columns(['webhook_id', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!delivery) continue;
    await boss.send(WEBHOOK_QUEUE, { deliveryId: delivery.id }, WEBHOOK_RETRY);
    queued++;
  }
  return { mailed: people.length, webhooks: queued };
}

/** One attempt of one webhook delivery, logged; throws on failure so pg-boss retries with backoff. */
export async function deliverWebhook(
  db: Database,
  config: ResolvedConfig,
  deliveryId: string,
): Promise<string> {
  const row = await db.kysely
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .innerJoin('alert_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.status',
      'w.url',
      'w.secret',
      'e.id as eventId',
      'e.type',
      'e.org_id',
      'e.details',
      'e.created_at',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!row || row.status === 'delivered') return 'nothing to do';
  const body = JSON.stringify({
    id: row.eventId,
    type: row.type,
    orgId: row.org_id,
    createdAt: row.created_at.toISOString(),
    data: JSON.parse(row.details) as unknown,
  });
  const t = Math.floor(Date.now() / 1000);
  const result = await postWebhook(
    row.url,
    body,
    {
      'x-vioscan-event': row.type,
      'x-vioscan-delivery': row.id,
      'x-vioscan-signature': `t=${t},v1=${sign(row.secret, t, body)}`,
    },
    { allowPrivate: config.allowPrivateTargets },
  );
  const ok = 'status' in result && result.status >= 200 && result.status < 300;
  await db.kysely
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: ok ? 'delivered' : 'failed',
      response_status: 'status' in result ? result.status : null,
      error: 'error' in result ? result.error : ok ? null : `HTTP ${(result as { status: number }).status}`,
      delivered_at: ok ? sql<Date>`now()` : null,
    }))
    .where('id', '=', deliveryId)
    .execute();
  if (!ok) throw new Error(`webhook delivery ${deliveryId} failed`);
  return 'delivered';
}

/** The daily digest: one mail per member who chose it, listing the last day's events of the organisation. */
export async function sendDigests(
  db: Database,
  mailer: Mailer,
  baseUrl: string,
  now = new Date(),
): Promise<number> {
  const since = new Date(now.getTime() - 86_400_000);
  const prefs = await db.kysely
    .selectFrom('notification_preferences as p')
    .innerJoin('users', 'users.id', 'p.user_id')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.user_id', '=', 'p.user_id').onRef('m.org_id', '=', 'p.org_id'),
    )
    .select(['users.email', 'p.org_id', 'p.email_events'])
    .where('p.digest', '=', true)
    .execute();
  let sent = 0;
  for (const pref of prefs) {
    const wanted = JSON.parse(pref.email_events) as AlertType[];
    const events = await db.kysely
      .selectFrom('alert_events')
      .selectAll()
      .where('org_id', '=', pref.org_id)
      .where('created_at', '>', since)
      .where('created_at', '<=', now)
      .orderBy('created_at')
      .execute();
    const mine = events.filter((e) => wanted.includes(e.type));
    if (!mine.length) continue;
    const text = mine
      .map((e) => describeEvent(e.type, JSON.parse(e.details) as Record<string, unknown>, baseUrl).text)
      .join('\n\n');
    await mailer.send({ to: pref.email, subject: `VIOscan daily digest: ${mine.length} alert(s)`, text });
    sent++;
  }
  return sent;
}
