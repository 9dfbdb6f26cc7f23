import { Type } from '@sinclair/typebox';
import type Stripe from 'stripe';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { Billing, BillingParams, CheckoutBody, PortalBody, RedirectUrl, WebhookReceived } from './schema.ts';
import { billingSummary, openPortal, startCheckout } from './service.ts';
import { stripeClient } from './stripe.ts';
import { handleEvent, verifyEvent } from './webhook.ts';

const tags = ['billing'];

/** Stripe billing (docs/billing.md): the organisation's plan, Checkout, the portal and the webhook. */
const billingRoutes: RouteModule = async (app, { db, config }) => {
  let client: Promise<Stripe | undefined> | undefined;
  const stripe = () => (client ??= stripeClient(config));

  app.get(
    '/api/v1/orgs/:orgId/billing',
    {
      config: { access: requirePermission('billing:read') },
      schema: {
        tags,
        summary: "The organisation's plan and subscription, and whether billing is enabled",
        params: BillingParams,
        response: { 200: Billing, ...errorResponses },
      },
    },
    async (request) => billingSummary(db, config, request.params.orgId),
  );

  app.post(
    '/api/v1/orgs/:orgId/billing/checkout',
    {
      config: { access: requirePermission('billing:write') },
      schema: {
        tags,
        summary: 'Start a Stripe Checkout for a plan (the plan changes only by the webhook)',
        params: BillingParams,
        body: CheckoutBody,
        response: { 200: RedirectUrl, ...errorResponses },
      },
    },
    async (request) => ({
      url: await startCheckout(db, config, await stripe(), request.params.orgId, request.body.plan),
    }),
  );

  app.post(
    '/api/v1/orgs/:orgId/billing/portal',
    {
      config: { access: requirePermission('billing:write') },
      schema: {
        tags,
        summary: 'Open the Stripe customer portal (payment method, invoices, cancel)',
        params: BillingParams,
        body: PortalBody,
        response: { 200: RedirectUrl, ...errorResponses },
      },
    },
    async (request) => ({ url: await openPortal(db, config, await stripe(), request.params.orgId) }),
  );

  // The webhook needs the exact bytes Stripe signed: in this child context alone, JSON bodies
  // arrive as a Buffer, unparsed; every other route keeps the normal JSON parser.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    raw.post(
      '/api/v1/billing/webhook',
      {
        config: { access: 'public', rateLimit: { max: 300, timeWindow: 60_000 } },
        schema: {
          tags,
          summary: 'Stripe webhook (signed with STRIPE_WEBHOOK_SECRET; verified over the raw body)',
          body: Type.Unknown({ description: 'A Stripe event, as Stripe signed it' }),
          response: { 200: WebhookReceived, ...errorResponses },
        },
      },
      async (request) => {
        const client = await stripe();
        if (!client || !config.stripeWebhookSecret) throw new AppError('billing_disabled');
        const event = verifyEvent(
          client,
          config.stripeWebhookSecret,
          request.body as Buffer,
          request.headers['stripe-signature'],
        );
        const { duplicate } = await handleEvent(
          { db, config, stripe: client, mailer: app.identity.mailer, logger: request.log },
          event,
        );
        return { received: true as const, duplicate };
      },
    );
  });
};

export default billingRoutes;
