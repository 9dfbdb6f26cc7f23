import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustProxySetting } from '../../src/http/trust-proxy.ts';
import { createTestApp, type TestApp } from './app-helpers.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';

describe('trustProxySetting', () => {
  it.each([
    ['false', false],
    ['true', true],
    ['10.0.0.1, 10.1.0.0/16', ['10.0.0.1', '10.1.0.0/16']],
  ])('%s → %j', (value, expected) => {
    expect(trustProxySetting(value)).toEqual(expected);
  });

  it('a hop count trusts exactly that many hops', () => {
    const trust = trustProxySetting('2');
    expect(typeof trust).toBe('function');
    const fn = trust as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => fn('192.0.2.1', hop))).toEqual([true, true, false]);
  });
});

const whoAmI = Type.Object({ ip: Type.String(), protocol: Type.String() });

describe.each(engines)('client address and protocol on %s', (engine) => {
  let db: TestDatabase;
  const apps: Record<string, TestApp> = {};

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    for (const trust of ['false', '10.0.0.0/8', '1']) {
      const t = await createTestApp(engine, { db, env: { TRUST_PROXY: trust, RATE_LIMIT_MAX: '2' } });
      t.app.get('/test/whoami', { schema: { response: { 200: whoAmI } } }, async (request) => ({
        ip: request.ip,
        protocol: request.protocol,
      }));
      await t.app.ready();
      apps[trust] = t;
    }
  });
  afterAll(async () => {
    for (const t of Object.values(apps)) await t.close();
    await db.close();
  });

  const forwarded = { 'x-forwarded-for': '192.0.2.7', 'x-forwarded-proto': 'https' };

  it('TRUST_PROXY=false: forwarded headers are ignored', async () => {
    const res = await apps.false!.app.inject({
      url: '/test/whoami',
      remoteAddress: '10.0.0.5',
      headers: forwarded,
    });
    expect(res.json()).toEqual({ ip: '10.0.0.5', protocol: 'http' });
  });

  it('a CIDR list: a listed proxy is believed', async () => {
    const res = await apps['10.0.0.0/8']!.app.inject({
      url: '/test/whoami',
      remoteAddress: '10.0.0.5',
      headers: forwarded,
    });
    expect(res.json()).toEqual({ ip: '192.0.2.7', protocol: 'https' });
  });

  it('a CIDR list: an unlisted peer is not', async () => {
    const res = await apps['10.0.0.0/8']!.app.inject({
      url: '/test/whoami',
      remoteAddress: '203.0.113.5',
      headers: forwarded,
    });
    expect(res.json()).toEqual({ ip: '203.0.113.5', protocol: 'http' });
  });

  it('a hop count: only the closest hop is believed, not an address the client prepended', async () => {
    const res = await apps['1']!.app.inject({
      url: '/test/whoami',
      remoteAddress: '10.0.0.5',
      headers: { 'x-forwarded-for': '6.6.6.6, 192.0.2.8' },
    });
    expect(res.json().ip).toBe('192.0.2.8');
  });

  it('a spoofed X-Forwarded-For does not dodge the rate limit', async () => {
    const app = apps.false!.app;
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const headers = { 'x-forwarded-for': `192.0.2.${100 + i}` };
      statuses.push(
        (await app.inject({ url: '/api/v1/version', remoteAddress: '203.0.113.77', headers })).statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
