import { createHmac, timingSafeEqual } from 'node:crypto';
import { defaultResolver, guardedConnector, resolveAndCheck } from '../../scanner/gather/guard.ts';

/**
 * Webhook signatures (the Stripe scheme): `x-vioscan-signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, `${t}.${body}`). Receivers recompute it and refuse old timestamps,
 * which stops both forgery and replay.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function verifySignature(
  secret: string,
  header: string,
  body: string,
  now = Date.now(),
  toleranceS = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceS) return false;
  const expected = Buffer.from(sign(secret, t, body), 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POSTs through the SSRF guard's connector: the URL's host is resolved once, every address
 * classified, and only a checked IP is dialled (guard.ts), so a webhook URL can never reach
 * internal services (or rebind to them). No redirects are followed.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean },
): Promise<{ status: number } | { error: string }> {
  // undici loads with the first delivery rather than at start-up (issue 16).
  const { Agent, buildConnector, request } = await import('undici');
  const dial = buildConnector({ timeout: 5_000 });
  const agent = new Agent({
    connect: guardedConnector((host) => resolveAndCheck(host, options.allowPrivate, defaultResolver), dial),
  });
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'VIOscan-Webhook/1', ...headers },
      body,
      dispatcher: agent,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await response.body.dump();
    return { status: response.statusCode };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const blocked = e.code === 'VIOSCAN_TARGET_NOT_ALLOWED' || /target not allowed/.test(e.message ?? '');
    return { error: blocked ? 'target_not_allowed' : (e.code ?? e.message ?? 'failed').slice(0, 200) };
  } finally {
    await agent.close();
  }
}
