import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityApp, type IdentityTestApp } from '../modules/auth/helpers.ts';
import {
  event,
  PRICE_TEAM,
  signature,
  startFakeStripe,
  subscription,
  WEBHOOK_SECRET,
  type FakeStripe,
} from '../modules/billing/fake-stripe.ts';
import { checkPage, checkPageInBothThemes, type TestBrowser } from './browser.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

const OWNER = 'billing-owner@example.com';

/** The Billing card of /org in a real browser, against a local fake of the Stripe API. */
describe('billing card in a real browser', () => {
  let t: IdentityTestApp;
  let stripe: FakeStripe;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  let orgId: string;

  beforeAll(async () => {
    stripe = await startFakeStripe();
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createIdentityApp('pglite', {
        BASE_URL: baseUrl,
        RATE_LIMIT_MAX: '100000',
        STRIPE_SECRET_KEY: 'sk_test_vioscan',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_PRICE_TEAM: PRICE_TEAM,
        STRIPE_API_BASE: stripe.base,
      }),
    ));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await stripe?.close();
  });

  it('shows the free plan and sends Upgrade to Stripe Checkout; the plan changes only by the webhook', async () => {
    await mailSignIn(page, base, t.mails, OWNER);
    await page.goto(`${base}/org`);
    await page.getByLabel('Organisation name', { exact: true }).fill('Billed');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    const card = page.getByTestId('billing-card');
    await card.getByRole('button', { name: 'Upgrade to Team' }).waitFor();
    orgId = (
      await t.db.kysely.selectFrom('orgs').select('id').where('name', '=', 'Billed').executeTakeFirstOrThrow()
    ).id;
    await expect(card.locator('.billing-plan').textContent()).resolves.toBe('Free');
    await expect(card.getByRole('button', { name: 'Manage billing' }).count()).resolves.toBe(0);
    await checkPageInBothThemes(page, 'org-billing');

    await card.getByRole('button', { name: 'Upgrade to Team' }).click();
    await page.waitForURL(`${stripe.base}/c/pay/**`);
    const sent = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions');
    expect(sent.map((r) => r.form.get('client_reference_id'))).toEqual([orgId]);

    // Coming back on the success URL grants nothing: it only explains.
    await page.goto(`${base}/org?billing=success`);
    await card.getByText(/The plan changes as soon as Stripe confirms/).waitFor();
    await expect(card.locator('.billing-plan').textContent()).resolves.toBe('Free');
  });

  it('after the signed webhook: the paid plan, its renewal and Manage billing → the portal', async () => {
    stripe.subscriptions.set(
      'sub_e2e',
      subscription({ id: 'sub_e2e', orgId, status: 'active', customer: 'cus_e2e' }),
    );
    const payload = JSON.stringify(
      event('checkout.session.completed', {
        id: 'cs_e2e',
        object: 'checkout.session',
        client_reference_id: orgId,
        customer: 'cus_e2e',
        subscription: 'sub_e2e',
      }),
    );
    const res = await fetch(`${base}/api/v1/billing/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature(payload) },
      body: payload,
    });
    expect(res.status).toBe(200);
    await page.goto(`${base}/org`);
    const card = page.getByTestId('billing-card');
    await card.getByRole('button', { name: 'Manage billing' }).waitFor();
    await expect(card.locator('.billing-plan').textContent()).resolves.toBe('Team');
    await card.getByText(/Renews on/).waitFor();
    await expect(card.getByRole('button', { name: /Upgrade to/ }).count()).resolves.toBe(0);
    await checkPage(page, 'org-billing-team');
    expect(csp).toEqual([]);
    await card.getByRole('button', { name: 'Manage billing' }).click();
    await page.waitForURL(`${stripe.base}/p/session/cus_e2e`);
  });
});
