import { Type } from '@sinclair/typebox';

export const BillingParams = Type.Object({ orgId: Type.String({ maxLength: 64 }) });

const PlanName = Type.Union([Type.Literal('free'), Type.Literal('team'), Type.Literal('business')]);
const PaidPlanName = Type.Union([Type.Literal('team'), Type.Literal('business')]);

export const Billing = Type.Object({
  enabled: Type.Boolean({ description: 'Whether this instance sells plans (Stripe configured)' }),
  plan: PlanName,
  status: Type.String({
    description: "Stripe subscription status last received, or 'none' without a subscription",
  }),
  renewsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'End of the current period: the renewal, or the end when cancelAtPeriodEnd',
  }),
  cancelAtPeriodEnd: Type.Boolean(),
  hasBillingAccount: Type.Boolean({ description: 'A Stripe customer exists: the portal is available' }),
  plansOffered: Type.Array(PaidPlanName),
});

export const CheckoutBody = Type.Object({ plan: PaidPlanName });

/** The portal takes no options. */
export const PortalBody = Type.Object({});

export const RedirectUrl = Type.Object({
  url: Type.String({ description: 'Stripe-hosted page to send the browser to' }),
});

export const WebhookReceived = Type.Object({
  received: Type.Literal(true),
  duplicate: Type.Boolean({ description: 'The event id was already processed; nothing changed' }),
});
