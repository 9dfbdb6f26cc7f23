import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { engines } from '../../helpers/engines.ts';
import { createIdentityApp, mailTo, signIn, type IdentityTestApp, type SignedIn } from '../auth/helpers.ts';
import {
  event,
  PRICE_BUSINESS,
  PRICE_TEAM,
  signature,
  startFakeStripe,
  subscription,
  WEBHOOK_SECRET,
  type FakeStripe,
} from './fake-stripe.ts';

describe.each(engines)('Stripe webhook (%s)', (engine) => {
  let t: IdentityTestApp;
  let stripe: FakeStripe;
  let owner: SignedIn;
  let orgId: string;
  let otherOrg: string;

  const now = () => Math.floor(Date.now() / 1000);
  const deliver = (
    body: object | string,
    opts: { secret?: string; timestamp?: number; send?: string; header?: string | null } = {},
  ) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    const header = opts.header === undefined ? signature(payload, opts) : opts.header;
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/webhook',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(header === null ? {} : { 'stripe-signature': header }),
      },
      payload: opts.send ?? payload,
    });
  };
  const planOf = async (id: string) =>
    (await t.db.kysely.selectFrom('orgs').select('plan').where('id', '=', id).executeTakeFirstOrThrow()).plan;
  const planChanges = async (id: string) =>
    (
      await t.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'target_id', 'details'])
        .where('action', '=', 'billing.plan_changed')
        .where('target_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((r) => JSON.parse(r.details) as Record<string, unknown>);
  const eventRows = async () =>
    (await t.db.kysely.selectFrom('stripe_events').select('id').execute()).map((r) => r.id);
  const snapshot = async () => ({
    plans: [await planOf(orgId), await planOf(otherOrg)],
    events: (await eventRows()).length,
    billing: await t.db.kysely.selectFrom('billing_customers').selectAll().orderBy('org_id').execute(),
    audit: (await t.db.kysely.selectFrom('audit_log').select('seq').execute()).length,
  });

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await createIdentityApp(engine, {
      STRIPE_SECRET_KEY: 'sk_test_vioscan',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PRICE_TEAM: PRICE_TEAM,
      STRIPE_PRICE_BUSINESS: PRICE_BUSINESS,
      STRIPE_API_BASE: stripe.base,
      RATE_LIMIT_MAX: '100000',
    });
    owner = await signIn(t, 'owner@billing.example');
    const outsider = await signIn(t, 'outsider@billing.example');
    const create = (who: SignedIn, name: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/orgs', headers: who.headers, payload: { name } });
    orgId = (await create(owner, 'Paying')).json<{ id: string }>().id;
    otherOrg = (await create(outsider, 'Bystander')).json<{ id: string }>().id;
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
  });

  const completed = (subId: string, customer = 'cus_test_1') =>
    event('checkout.session.completed', {
      id: `cs_${subId}`,
      object: 'checkout.session',
      mode: 'subscription',
      client_reference_id: orgId,
      metadata: { orgId },
      customer,
      subscription: subId,
    });

  it('refuses a signature made with another secret (400) and changes nothing', async () => {
    stripe.subscriptions.set('sub_a', subscription({ id: 'sub_a', orgId, status: 'active' }));
    const before = await snapshot();
    const res = await deliver(completed('sub_a'), { secret: 'whsec_not_the_right_one' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('webhook_signature_invalid');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a missing signature header (400)', async () => {
    const res = await deliver(completed('sub_a'), { header: null });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('webhook_signature_invalid');
  });

  it('refuses a timestamp 301 s old (400) and changes nothing', async () => {
    const before = await snapshot();
    const res = await deliver(completed('sub_a'), { timestamp: now() - 301 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('webhook_signature_invalid');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a timestamp far in the future (400), which constructEvent alone would accept', async () => {
    const before = await snapshot();
    for (const ahead of [301, 3600, 86_400 * 365]) {
      const res = await deliver(completed('sub_a'), { timestamp: now() + ahead });
      expect(res.statusCode).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses the same JSON re-serialised with other whitespace (400): the raw bytes are verified', async () => {
    const body = completed('sub_a');
    const signedPayload = JSON.stringify(body);
    const before = await snapshot();
    const res = await deliver(signedPayload, { send: JSON.stringify(body, null, 2) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('webhook_signature_invalid');
    expect(await snapshot()).toEqual(before);
  });

  it('checkout.session.completed grants the plan once, however often it is delivered', async () => {
    const body = completed('sub_a');
    const first = await deliver(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, duplicate: false });
    expect(await planOf(orgId)).toBe('team');
    expect(await planOf(otherOrg)).toBe('free');
    const row = await t.db.kysely
      .selectFrom('billing_customers')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      stripe_customer_id: 'cus_test_1',
      stripe_subscription_id: 'sub_a',
      status: 'active',
      price_id: PRICE_TEAM,
    });
    expect(row.current_period_end?.toISOString()).toBe(new Date(1_900_000_000 * 1000).toISOString());

    // A retry, signed afresh as Stripe does, of the same event id.
    const again = await deliver(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: true, duplicate: true });
    const changes = await planChanges(orgId);
    expect(changes).toEqual([
      { orgId, from: 'free', to: 'team', status: 'active', eventId: body.id, eventType: body.type },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/@/);
    const usage = await t.db.kysely
      .selectFrom('usage_events')
      .select(['kind', 'details'])
      .where('org_id', '=', orgId)
      .where('kind', '=', 'billing.plan_changed')
      .execute();
    expect(usage.map((u) => JSON.parse(u.details))).toEqual([{ from: 'free', to: 'team', status: 'active' }]);
    expect((await eventRows()).filter((id) => id === body.id)).toHaveLength(1);
  });

  it('subscription events out of order: the final state is the subscription current at Stripe', async () => {
    // Stripe's truth: the subscription was upgraded to business, then cancelled.
    stripe.subscriptions.set(
      'sub_a',
      subscription({ id: 'sub_a', orgId, status: 'canceled', price: PRICE_BUSINESS }),
    );
    const t0 = now() - 60;
    const upgraded = event(
      'customer.subscription.updated',
      subscription({ id: 'sub_a', orgId, status: 'active', price: PRICE_BUSINESS }),
      t0,
    );
    const deleted = event(
      'customer.subscription.deleted',
      subscription({ id: 'sub_a', orgId, status: 'canceled', price: PRICE_BUSINESS }),
      t0 + 30,
    );
    expect((await deliver(deleted)).statusCode).toBe(200);
    expect(await planOf(orgId)).toBe('free');
    // The older "active" event arrives last: it must not bring the plan back.
    expect((await deliver(upgraded)).statusCode).toBe(200);
    expect(await planOf(orgId)).toBe('free');
    const row = await t.db.kysely
      .selectFrom('billing_customers')
      .select('status')
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('canceled');
    expect((await planChanges(orgId)).map((c) => c.to)).toEqual(['team', 'free']);
  });

  it('a new subscription is not undone by a late event of the old, cancelled one', async () => {
    stripe.subscriptions.set(
      'sub_b',
      subscription({ id: 'sub_b', orgId, status: 'active', price: PRICE_BUSINESS }),
    );
    expect(
      (await deliver(event('customer.subscription.created', { id: 'sub_b', object: 'subscription' })))
        .statusCode,
    ).toBe(200);
    expect(await planOf(orgId)).toBe('business');
    const late = event('customer.subscription.updated', { id: 'sub_a', object: 'subscription' });
    expect((await deliver(late)).statusCode).toBe(200);
    expect(await planOf(orgId)).toBe('business');
  });

  it('unpaid → free; an unknown price buys nothing', async () => {
    stripe.subscriptions.set(
      'sub_b',
      subscription({ id: 'sub_b', orgId, status: 'unpaid', price: PRICE_BUSINESS }),
    );
    await deliver(event('customer.subscription.updated', { id: 'sub_b', object: 'subscription' }));
    expect(await planOf(orgId)).toBe('free');
    stripe.subscriptions.set(
      'sub_b',
      subscription({ id: 'sub_b', orgId, status: 'active', price: 'price_elsewhere' }),
    );
    await deliver(event('customer.subscription.updated', { id: 'sub_b', object: 'subscription' }));
    expect(await planOf(orgId)).toBe('free');
    stripe.subscriptions.set(
      'sub_b',
      subscription({ id: 'sub_b', orgId, status: 'trialing', price: PRICE_TEAM }),
    );
    await deliver(event('customer.subscription.updated', { id: 'sub_b', object: 'subscription' }));
    expect(await planOf(orgId)).toBe('team');
  });

  it('a subscription naming another organisation in its metadata only touches that one', async () => {
    stripe.subscriptions.set(
      'sub_x',
      subscription({
        id: 'sub_x',
        orgId: '00000000-0000-4000-8000-000000000000',
        status: 'active',
        customer: 'cus_x',
      }),
    );
    const before = await snapshot();
    const res = await deliver(
      event('customer.subscription.created', { id: 'sub_x', object: 'subscription' }),
    );
    expect(res.statusCode).toBe(200);
    const after = await snapshot();
    expect(after.plans).toEqual(before.plans);
    expect(after.billing).toEqual(before.billing);
    expect(after.audit).toBe(before.audit);
  });

  it('invoice.payment_failed mails the owners', async () => {
    const before = t.mails.length;
    const res = await deliver(
      event('invoice.payment_failed', {
        id: 'in_1',
        object: 'invoice',
        customer: 'cus_test_1',
        parent: null,
      }),
    );
    expect(res.statusCode).toBe(200);
    const mail = await mailTo(t.mails, 'owner@billing.example', /payment for Paying failed/, before);
    expect(mail.text).toContain('https://vioscan.test/org');
    expect(t.mails.slice(before).some((m) => m.to === 'outsider@billing.example')).toBe(false);
  });

  it('the audit chain verifies afterwards', async () => {
    const result = await verifyAuditChain(t.db);
    expect(result.ok).toBe(true);
  });
});
