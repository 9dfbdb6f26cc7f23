import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import { createIdentityApp, signIn, type IdentityTestApp, type SignedIn } from '../auth/helpers.ts';
import { PRICE_TEAM, startFakeStripe, WEBHOOK_SECRET, type FakeStripe } from './fake-stripe.ts';

describe.each(engines)('organisation billing routes (%s)', (engine) => {
  let t: IdentityTestApp;
  let off: IdentityTestApp;
  let stripe: FakeStripe;
  let owner: SignedIn;
  let admin: SignedIn;
  let outsider: SignedIn;
  let offOwner: SignedIn;
  let orgId: string;
  let otherOrg: string;
  let offOrg: string;

  const billing = (app: IdentityTestApp, who: SignedIn, org: string, rest = '', payload?: object) =>
    app.app.inject({
      method: rest ? 'POST' : 'GET',
      url: `/api/v1/orgs/${org}/billing${rest}`,
      headers: who.headers,
      ...(payload ? { payload } : {}),
    });
  const fakeCalls = () => stripe.requests.length;
  const plan = async (app: IdentityTestApp, id: string) =>
    (await app.db.kysely.selectFrom('orgs').select('plan').where('id', '=', id).executeTakeFirstOrThrow())
      .plan;

  beforeAll(async () => {
    stripe = await startFakeStripe();
    // Only the team plan has a price here: business is not offered.
    t = await createIdentityApp(engine, {
      STRIPE_SECRET_KEY: 'sk_test_vioscan',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PRICE_TEAM: PRICE_TEAM,
      STRIPE_API_BASE: stripe.base,
    });
    off = await createIdentityApp(engine);
    owner = await signIn(t, 'owner@routes.example');
    outsider = await signIn(t, 'outsider@routes.example');
    const create = (app: IdentityTestApp, who: SignedIn, name: string) =>
      app.app.inject({ method: 'POST', url: '/api/v1/orgs', headers: who.headers, payload: { name } });
    orgId = (await create(t, owner, 'Buyer')).json<{ id: string }>().id;
    otherOrg = (await create(t, outsider, 'Other')).json<{ id: string }>().id;
    const add = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/members`,
      headers: owner.headers,
      payload: { email: 'admin@routes.example', role: 'admin' },
    });
    expect(add.statusCode).toBe(200);
    admin = await signIn(t, 'admin@routes.example');
    offOwner = await signIn(off, 'owner@off.example');
    offOrg = (await create(off, offOwner, 'Free')).json<{ id: string }>().id;
  });
  afterAll(async () => {
    await t?.close();
    await off?.close();
    await stripe?.close();
  });

  it('shows the plan, the status and what can be bought', async () => {
    const res = await billing(t, owner, orgId);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      enabled: true,
      plan: 'free',
      status: 'none',
      renewsAt: null,
      cancelAtPeriodEnd: false,
      hasBillingAccount: false,
      plansOffered: ['team'],
    });
  });

  it('checkout answers the Stripe url, sends client_reference_id, and grants nothing by itself', async () => {
    const before = stripe.requests.length;
    const res = await billing(t, owner, orgId, '/checkout', { plan: 'team' });
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toMatch(new RegExp(`^${stripe.base}/c/pay/cs_test_\\d+$`));
    const sent = stripe.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/v1/checkout/sessions');
    const form = sent[0]!.form;
    expect(form.get('client_reference_id')).toBe(orgId);
    expect(form.get('mode')).toBe('subscription');
    expect(form.get('line_items[0][price]')).toBe(PRICE_TEAM);
    expect(form.get('subscription_data[metadata][orgId]')).toBe(orgId);
    expect(form.get('success_url')).toBe('https://vioscan.test/org?billing=success');
    expect(form.get('cancel_url')).toBe('https://vioscan.test/org?billing=cancelled');
    // Only the verified webhook changes the plan; visiting the success URL does nothing either.
    expect(await plan(t, orgId)).toBe('free');
  });

  it('a plan without a configured price is refused (422) without calling Stripe', async () => {
    const before = fakeCalls();
    const res = await billing(t, owner, orgId, '/checkout', { plan: 'business' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('plan_unavailable');
    expect(fakeCalls()).toBe(before);
  });

  it('an unknown plan fails validation (400)', async () => {
    const res = await billing(t, owner, orgId, '/checkout', { plan: 'free' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('the portal needs a billing account first (409), then answers the portal url', async () => {
    const before = fakeCalls();
    const none = await billing(t, owner, orgId, '/portal', {});
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('conflict');
    expect(fakeCalls()).toBe(before);
    await t.db.kysely
      .insertInto('billing_customers')
      .values({ org_id: orgId, stripe_customer_id: 'cus_routes_1' })
      .execute();
    const res = await billing(t, owner, orgId, '/portal', {});
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toBe(`${stripe.base}/p/session/cus_routes_1`);
    const sent = stripe.requests.at(-1)!;
    expect(sent.path).toBe('/v1/billing_portal/sessions');
    expect(sent.form.get('customer')).toBe('cus_routes_1');
    expect(sent.form.get('return_url')).toBe('https://vioscan.test/org');
    expect((await billing(t, owner, orgId)).json().hasBillingAccount).toBe(true);
  });

  it('an admin may read billing but not buy or open the portal (403), and Stripe is not called', async () => {
    expect((await billing(t, admin, orgId)).statusCode).toBe(200);
    const before = fakeCalls();
    for (const rest of ['/checkout', '/portal']) {
      const res = await billing(t, admin, orgId, rest, rest === '/checkout' ? { plan: 'team' } : {});
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(fakeCalls()).toBe(before);
  });

  it("another organisation's billing is 404 for an outsider, and Stripe is not called", async () => {
    const before = fakeCalls();
    expect((await billing(t, outsider, orgId)).statusCode).toBe(404);
    const res = await billing(t, outsider, orgId, '/checkout', { plan: 'team' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect((await billing(t, outsider, orgId, '/portal', {})).statusCode).toBe(404);
    expect(fakeCalls()).toBe(before);
    // The outsider's own organisation is untouched.
    expect((await billing(t, outsider, otherOrg)).json()).toMatchObject({ plan: 'free', status: 'none' });
  });

  it('with billing off: the summary says so, checkout, portal and webhook answer billing_disabled', async () => {
    const summary = await billing(off, offOwner, offOrg);
    expect(summary.json()).toMatchObject({ enabled: false, plan: 'free', plansOffered: [] });
    for (const [rest, payload] of [
      ['/checkout', { plan: 'team' }],
      ['/portal', {}],
    ] as const) {
      const res = await billing(off, offOwner, offOrg, rest, payload);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toEqual({
        code: 'billing_disabled',
        message: 'Billing is not enabled on this instance; every organisation is on the free plan.',
      });
    }
    const hook = await off.app.inject({
      method: 'POST',
      url: '/api/v1/billing/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      payload: '{"id":"evt_1"}',
    });
    expect(hook.statusCode).toBe(409);
    expect(hook.json().error.code).toBe('billing_disabled');
    expect(await off.db.kysely.selectFrom('stripe_events').selectAll().execute()).toEqual([]);
  });

  it('the other JSON routes still parse JSON bodies (the raw parser is scoped to the webhook)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: owner.headers,
      payload: { name: 'Still JSON' },
    });
    expect(res.statusCode).toBe(201);
  });
});
