/** Billing API (docs/billing.md): the organisation's plan, Stripe Checkout and the customer portal. */
import type { Static } from '@sinclair/typebox';
import type * as Billing from '../../../src/modules/billing/schema.ts';
import { request } from './http.ts';
import { orgPath } from './orgs.ts';

export type BillingSummary = Static<typeof Billing.Billing>;
export type CheckoutBody = Static<typeof Billing.CheckoutBody>;
export type PaidPlan = CheckoutBody['plan'];
export type RedirectUrl = Static<typeof Billing.RedirectUrl>;

export const billingApi = {
  get: (orgId: string) => request<BillingSummary>('GET', orgPath(orgId, '/billing')),
  checkout: (orgId: string, plan: PaidPlan) =>
    request<RedirectUrl>('POST', orgPath(orgId, '/billing/checkout'), { plan } satisfies CheckoutBody),
  portal: (orgId: string) => request<RedirectUrl>('POST', orgPath(orgId, '/billing/portal'), {}),
};
