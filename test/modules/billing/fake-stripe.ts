/**
 * A local stand-in for the few Stripe API calls VIOscan makes (this machine cannot reach
 * api.stripe.com): Checkout and portal sessions, and subscriptions the test sets. The app talks
 * to it through the official SDK with STRIPE_API_BASE=http://127.0.0.1:<port>. Webhook
 * signatures in the tests are real (the SDK's generateTestHeaderString), not faked.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export const WEBHOOK_SECRET = 'whsec_test_billing_secret';
export const PRICE_TEAM = 'price_team_test';
export const PRICE_BUSINESS = 'price_business_test';

export interface FakeRequest {
  method: string;
  path: string;
  form: URLSearchParams;
}

export interface FakeStripe {
  base: string;
  requests: FakeRequest[];
  /** The current state of each subscription, as subscriptions.retrieve answers it. */
  subscriptions: Map<string, object>;
  close(): Promise<void>;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: FakeRequest[] = [];
  const subscriptions = new Map<string, object>();
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({ method: req.method ?? '', path: url.pathname, form });
      const send = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        const id = `cs_test_${requests.length}`;
        // On loopback, so a browser test can follow the redirect without leaving the machine.
        return send(200, { id, object: 'checkout.session', url: `${base()}/c/pay/${id}` });
      }
      if (
        req.method === 'GET' &&
        (url.pathname.startsWith('/c/pay/') || url.pathname.startsWith('/p/session/'))
      ) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!doctype html><title>Fake Stripe</title><h1>Fake Stripe page</h1>');
      }
      if (req.method === 'POST' && url.pathname === '/v1/billing_portal/sessions') {
        return send(200, {
          id: 'bps_test_1',
          object: 'billing_portal.session',
          customer: form.get('customer'),
          url: `${base()}/p/session/${form.get('customer')}`,
        });
      }
      const sub = /^\/v1\/subscriptions\/([\w-]+)$/.exec(url.pathname);
      if (req.method === 'GET' && sub) {
        const found = subscriptions.get(sub[1]!);
        if (found) return send(200, found);
        return send(404, {
          error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such subscription' },
        });
      }
      return send(404, { error: { type: 'invalid_request_error', message: 'not faked' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: base(),
    requests,
    subscriptions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A subscription as the Stripe API returns it (the fields VIOscan reads). */
export function subscription(opts: {
  id: string;
  orgId: string;
  status: string;
  price?: string;
  customer?: string;
  periodEnd?: number;
}): object {
  return {
    id: opts.id,
    object: 'subscription',
    customer: opts.customer ?? 'cus_test_1',
    status: opts.status,
    cancel_at_period_end: false,
    metadata: { orgId: opts.orgId },
    items: {
      object: 'list',
      data: [
        {
          id: `si_${opts.id}`,
          object: 'subscription_item',
          price: { id: opts.price ?? PRICE_TEAM, object: 'price' },
          current_period_end: opts.periodEnd ?? 1_900_000_000,
        },
      ],
    },
  };
}

let counter = 0;

/** A Stripe event envelope; `created` defaults to now. */
export function event(type: string, object: object, created = Math.floor(Date.now() / 1000)) {
  counter += 1;
  return { id: `evt_test_${Date.now()}_${counter}`, object: 'event', type, created, data: { object } };
}

const signer = new Stripe('sk_test_signer');

/** A real Stripe-Signature header for the exact payload string. */
export function signature(payload: string, opts: { secret?: string; timestamp?: number } = {}): string {
  return signer.webhooks.generateTestHeaderString({
    payload,
    secret: opts.secret ?? WEBHOOK_SECRET,
    ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
  });
}
