import type Stripe from 'stripe';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Plan } from '../usage/plan-limits.ts';

/** The plans sold through Stripe, each with its price variable (docs/billing.md). */
export const paidPlans = ['team', 'business'] as const satisfies readonly Plan[];
export type PaidPlan = (typeof paidPlans)[number];

/** Webhook timestamps older, or further in the future, than this many seconds are refused. */
export const WEBHOOK_TOLERANCE_S = 300;

type BillingConfig = Pick<
  ResolvedConfig,
  'stripeSecretKey' | 'stripeWebhookSecret' | 'stripePriceTeam' | 'stripePriceBusiness' | 'stripeApiBase'
>;

/** Billing is on only with both the API key and the webhook secret: entitlement needs the webhook. */
export function billingEnabled(config: BillingConfig): boolean {
  return Boolean(config.stripeSecretKey && config.stripeWebhookSecret);
}

export function priceOf(config: BillingConfig, plan: PaidPlan): string | undefined {
  return plan === 'team' ? config.stripePriceTeam : config.stripePriceBusiness;
}

/** The plan a Stripe price buys; an unknown price buys nothing (free). */
export function planOfPrice(config: BillingConfig, priceId: string | null | undefined): Plan {
  if (!priceId) return 'free';
  return paidPlans.find((p) => priceOf(config, p) === priceId) ?? 'free';
}

/**
 * The official SDK, pointed at STRIPE_API_BASE (api.stripe.com unless a test runs a local fake).
 * Undefined when billing is off. The SDK is loaded here, on first use, not at start-up.
 */
export async function stripeClient(config: BillingConfig): Promise<Stripe | undefined> {
  if (!billingEnabled(config) || !config.stripeSecretKey) return undefined;
  const base = new URL(config.stripeApiBase);
  const { default: StripeSdk } = await import('stripe');
  return new StripeSdk(config.stripeSecretKey, {
    host: base.hostname,
    port: base.port || (base.protocol === 'https:' ? 443 : 80),
    protocol: base.protocol === 'http:' ? 'http' : 'https',
    timeout: 10_000,
    maxNetworkRetries: 1,
    telemetry: false,
  });
}
