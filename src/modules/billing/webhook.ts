import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { withTransaction, type Tx } from '../../db/tx.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Plan } from '../usage/plan-limits.ts';
import * as repo from './repo.ts';
import { planOfPrice, WEBHOOK_TOLERANCE_S } from './stripe.ts';

export interface WebhookDeps {
  db: Database;
  config: ResolvedConfig;
  mailer: Mailer;
  logger: Pick<Logger, 'warn' | 'error'>;
  stripe: Stripe;
}

/** Subscription statuses that keep the paid plan: past_due too, while Stripe retries the payment. */
const ENTITLED = new Set<string>(['active', 'trialing', 'past_due']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies the Stripe-Signature header over the exact raw bytes with the SDK's constructEvent
 * (HMAC-SHA256, constant-time, 300 s age tolerance), and also refuses a timestamp more than
 * 300 s in the future, which constructEvent lets through (it checks only `age > tolerance`).
 */
export function verifyEvent(
  stripe: Stripe,
  secret: string,
  raw: Buffer,
  header: string | string[] | undefined,
  nowMs = Date.now(),
): Stripe.Event {
  const invalid = new AppError('webhook_signature_invalid');
  if (typeof header !== 'string' || !Buffer.isBuffer(raw)) throw invalid;
  const t = /(?:^|,)\s*t=(\d+)/.exec(header);
  if (!t || Number(t[1]) > nowMs / 1000 + WEBHOOK_TOLERANCE_S) throw invalid;
  try {
    return stripe.webhooks.constructEvent(raw, header, secret, WEBHOOK_TOLERANCE_S);
  } catch {
    throw invalid;
  }
}

const idOf = (ref: string | { id: string } | null | undefined) =>
  ref == null ? undefined : typeof ref === 'string' ? ref : ref.id;

/** The current state of a subscription, fetched from Stripe: the answer to out-of-order events. */
async function currentSubscription(stripe: Stripe, id: string): Promise<Stripe.Subscription> {
  try {
    return await stripe.subscriptions.retrieve(id);
  } catch {
    // Stripe retries the delivery (we answer 5xx) and nothing is recorded meanwhile.
    throw new AppError('unavailable', 'Stripe could not be reached; the event will be retried.');
  }
}

interface Prepared {
  orgId?: string | undefined;
  customerId?: string | undefined;
  subscription?: Stripe.Subscription | undefined;
}

/** Network work before the transaction (the embedded engine holds one session during it). */
async function prepare(stripe: Stripe, event: Stripe.Event): Promise<Prepared> {
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const orgId = session.client_reference_id ?? session.metadata?.orgId;
      const subId = idOf(session.subscription);
      return {
        orgId: orgId && UUID.test(orgId) ? orgId : undefined,
        customerId: idOf(session.customer),
        subscription: subId ? await currentSubscription(stripe, subId) : undefined,
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = await currentSubscription(stripe, event.data.object.id);
      const orgId = subscription.metadata?.orgId;
      return {
        orgId: orgId && UUID.test(orgId) ? orgId : undefined,
        customerId: idOf(subscription.customer),
        subscription,
      };
    }
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const orgId = invoice.parent?.subscription_details?.metadata?.orgId;
      return { orgId: orgId && UUID.test(orgId) ? orgId : undefined, customerId: idOf(invoice.customer) };
    }
    default:
      return {};
  }
}

/**
 * Applies a subscription's current state to the organisation: the plan its price buys while
 * active, trialing or past_due; free otherwise. A plan change appends an audit entry and a usage
 * event in the same transaction. An old subscription that ended does not take the plan of a newer one.
 */
async function applySubscription(
  tx: Tx,
  config: ResolvedConfig,
  event: Stripe.Event,
  orgId: string,
  sub: Stripe.Subscription,
): Promise<void> {
  const row = await repo.billingRow(tx, orgId);
  const entitled = ENTITLED.has(sub.status);
  if (row?.stripe_subscription_id && row.stripe_subscription_id !== sub.id && !entitled) return;
  const item = sub.items.data[0];
  const priceId = item?.price.id ?? null;
  await repo.upsertBilling(tx, orgId, {
    stripe_customer_id: idOf(sub.customer) ?? row?.stripe_customer_id ?? null,
    stripe_subscription_id: sub.id,
    status: sub.status,
    price_id: priceId,
    current_period_end: item?.current_period_end ? new Date(item.current_period_end * 1000) : null,
    cancel_at_period_end: sub.cancel_at_period_end,
  });
  const org = await repo.orgOf(tx, orgId);
  if (!org) return;
  const to: Plan = entitled ? planOfPrice(config, priceId) : 'free';
  if (org.plan === to) return;
  await tx.updateTable('orgs').set({ plan: to }).where('id', '=', orgId).execute();
  // Hashed forever: ids, plans and Stripe's status only; no names, emails or amounts.
  const details = { orgId, from: org.plan, to, status: sub.status, eventId: event.id, eventType: event.type };
  await appendAudit(tx, { action: 'billing.plan_changed', targetType: 'org', targetId: orgId, details });
  await tx
    .insertInto('usage_events')
    .values({
      id: randomUUID(),
      org_id: orgId,
      kind: 'billing.plan_changed',
      decision: 'allowed',
      subject_id: null,
      details: JSON.stringify({ from: org.plan, to, status: sub.status }),
    })
    .execute();
}

interface PendingMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Processes one verified event exactly once: the event id is claimed in the same transaction as
 * its side effects, so a repeated delivery (or a concurrent one) changes nothing.
 */
export async function handleEvent(deps: WebhookDeps, event: Stripe.Event): Promise<{ duplicate: boolean }> {
  const { db, config, stripe } = deps;
  if (await repo.eventSeen(db, event.id)) return { duplicate: true };
  const prepared = await prepare(stripe, event);
  const mails: PendingMail[] = [];
  const duplicate = await withTransaction(db, async (tx) => {
    if (!(await repo.claimEvent(tx, event))) return true;
    const orgId =
      (prepared.orgId && (await repo.orgOf(tx, prepared.orgId)) ? prepared.orgId : undefined) ??
      (await repo.orgOfStripe(tx, {
        subscriptionId: prepared.subscription?.id,
        customerId: prepared.customerId,
      }));
    if (!orgId) {
      if (prepared.customerId || prepared.subscription)
        deps.logger.warn({ eventId: event.id, type: event.type }, 'billing: event for no known organisation');
      return false;
    }
    switch (event.type) {
      case 'checkout.session.completed':
        await repo.upsertBilling(tx, orgId, {
          stripe_customer_id: prepared.customerId ?? null,
          stripe_subscription_id: prepared.subscription?.id ?? null,
        });
        if (prepared.subscription) await applySubscription(tx, config, event, orgId, prepared.subscription);
        break;
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        if (prepared.subscription) await applySubscription(tx, config, event, orgId, prepared.subscription);
        break;
      case 'invoice.payment_failed': {
        const org = await repo.orgOf(tx, orgId);
        if (!org) break;
        const manage = new URL('/org', config.baseUrl).href;
        for (const to of await repo.ownerEmails(tx, orgId)) {
          mails.push({
            to,
            subject: `VIOscan: a payment for ${org.name} failed`,
            text: `The latest payment for the ${org.plan} plan of the organisation "${org.name}" failed.\n\nStripe will retry it. To keep the plan, update the payment method: open ${manage} and choose "Manage billing".\n`,
          });
        }
        break;
      }
      default:
        break;
    }
    return false;
  });
  for (const mail of mails) {
    await deps.mailer.send(mail).catch((err: unknown) => deps.logger.error({ err }, 'billing: mail failed'));
  }
  return { duplicate };
}
