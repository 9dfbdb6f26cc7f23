import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, missingHeaders, type TestApp } from './app-helpers.ts';
import { engines } from '../helpers/engines.ts';

const PROXY = '10.0.0.2';

describe.each(engines)('security headers on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { TRUST_PROXY: PROXY } });
    // How a server-rendered page uses the nonce the security headers put on the reply.
    t.app.get('/test/nonce-page', { schema: { response: { 200: Type.String() } } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(`<style nonce="${reply.cspNonce.style}">p{margin:0}</style>`),
    );
    t.app.get('/test/own-csp', { schema: {} }, async (_request, reply) =>
      reply
        .header('content-security-policy', "default-src 'none'; sandbox")
        .type('image/png')
        .send(Buffer.from('x')),
    );
    await t.app.ready();
  });
  afterAll(() => t.close());

  it('an HTML page carries every header and a strict CSP', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missingHeaders(res.headers)).toEqual([]);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
  });

  it('exposes fresh per-request nonces that the CSP allows', async () => {
    const first = await t.app.inject({ url: '/test/nonce-page' });
    const csp = String(first.headers['content-security-policy']);
    const nonce = /style-src 'self' 'nonce-([0-9a-f]{32})'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(first.body).toBe(`<style nonce="${nonce}">p{margin:0}</style>`);
    const second = await t.app.inject({ url: '/test/nonce-page' });
    expect(second.headers['content-security-policy']).not.toContain(nonce);
  });

  it('a JSON response carries the API set: a policy that allows nothing, no framing, no sniffing', async () => {
    const res = await t.app.inject({ url: '/api/v1/version' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(missingHeaders(res.headers)).toEqual([]);
    expect(res.headers).toMatchObject({
      'content-security-policy':
        "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'x-frame-options': 'DENY',
    });
    // What only a document heeds stays off JSON: no nonces drawn, no feature list.
    for (const name of [
      'permissions-policy',
      'cross-origin-opener-policy',
      'x-xss-protection',
      'origin-agent-cluster',
    ])
      expect(res.headers[name], name).toBeUndefined();
  });

  it('a document that is not HTML (plain text) still gets the document set', async () => {
    const res = await t.app.inject({ url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(missingHeaders(res.headers)).toEqual([]);
    const permissions = String(res.headers['permissions-policy']);
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'interest-cohort']) {
      expect(permissions).toContain(`${feature}=()`);
    }
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('keeps a CSP that a handler set itself', async () => {
    const res = await t.app.inject({ url: '/test/own-csp' });
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(missingHeaders(res.headers)).toEqual([]);
  });

  it.each([
    ['404', { url: '/no/such/page' }, 404],
    [
      '400',
      {
        method: 'POST' as const,
        url: '/api/v1/version',
        payload: '{',
        headers: { 'content-type': 'application/json' },
      },
      400,
    ],
  ])('a %s error response carries every header', async (_name, request, status) => {
    const res = await t.app.inject(request);
    expect(res.statusCode).toBe(status);
    expect(missingHeaders(res.headers)).toEqual([]);
  });

  it('sends no HSTS and no upgrade-insecure-requests over plain HTTP', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('sends HSTS (≥ 1 year, subdomains) when a trusted proxy says the request came over HTTPS', async () => {
    const res = await t.app.inject({
      url: '/',
      remoteAddress: PROXY,
      headers: { 'x-forwarded-proto': 'https' },
    });
    const hsts = String(res.headers['strict-transport-security']);
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31536000);
    expect(hsts).toContain('includeSubDomains');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('ignores X-Forwarded-Proto from a client that is not a trusted proxy', async () => {
    const res = await t.app.inject({
      url: '/',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
