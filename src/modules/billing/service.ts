import type Stripe from 'stripe';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { limitsOf } from '../usage/plan-limits.ts';
import * as repo from './repo.ts';
import { billingEnabled, paidPlans, priceOf, type PaidPlan } from './stripe.ts';

const ENTITLED = new Set(['active', 'trialing', 'past_due']);

export async function billingSummary(db: Database, config: ResolvedConfig, orgId: string) {
  const org = await db.kysely
    .selectFrom('orgs')
    .select('plan')
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  const row = await repo.billingRow(db.kysely, orgId);
  const enabled = billingEnabled(config);
  return {
    enabled,
    plan: limitsOf(org.plan).plan,
    status: row?.status ?? 'none',
    renewsAt: row?.current_period_end?.toISOString() ?? null,
    cancelAtPeriodEnd: row?.cancel_at_period_end ?? false,
    hasBillingAccount: Boolean(row?.stripe_customer_id),
    plansOffered: enabled ? paidPlans.filter((p) => priceOf(config, p)) : [],
  };
}

function need(stripe: Stripe | undefined): Stripe {
  if (!stripe) throw new AppError('billing_disabled');
  return stripe;
}

const unreachable = () => new AppError('unavailable', 'Stripe could not be reached; try again shortly.');

/**
 * A Stripe Checkout Session for the plan. It grants nothing by itself: the plan changes when
 * Stripe's signed webhook says the subscription is active (docs/billing.md).
 */
export async function startCheckout(
  db: Database,
  config: ResolvedConfig,
  client: Stripe | undefined,
  orgId: string,
  plan: PaidPlan,
): Promise<string> {
  const stripe = need(client);
  const price = priceOf(config, plan);
  if (!price) throw new AppError('plan_unavailable');
  const row = await repo.billingRow(db.kysely, orgId);
  if (row?.stripe_subscription_id && ENTITLED.has(row.status))
    throw new AppError(
      'conflict',
      'This organisation already has a subscription; change it under "Manage billing".',
    );
  const session = await stripe.checkout.sessions
    .create({
      mode: 'subscription',
      line_items: [{ price, quantity: 1 }],
      client_reference_id: orgId,
      metadata: { orgId },
      subscription_data: { metadata: { orgId } },
      ...(row?.stripe_customer_id ? { customer: row.stripe_customer_id } : {}),
      success_url: new URL('/org?billing=success', config.baseUrl).href,
      cancel_url: new URL('/org?billing=cancelled', config.baseUrl).href,
    })
    .catch(() => {
      throw unreachable();
    });
  if (!session.url) throw unreachable();
  return session.url;
}

/** A Stripe customer portal session (change plan, payment method, cancel, invoices). */
export async function openPortal(
  db: Database,
  config: ResolvedConfig,
  client: Stripe | undefined,
  orgId: string,
): Promise<string> {
  const stripe = need(client);
  const row = await repo.billingRow(db.kysely, orgId);
  if (!row?.stripe_customer_id)
    throw new AppError('conflict', 'This organisation has no billing account yet; upgrade first.');
  const session = await stripe.billingPortal.sessions
    .create({ customer: row.stripe_customer_id, return_url: new URL('/org', config.baseUrl).href })
    .catch(() => {
      throw unreachable();
    });
  return session.url;
}
