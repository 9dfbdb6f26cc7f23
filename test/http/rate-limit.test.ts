import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hit } from '../../src/http/rate-limit-store.ts';
import { createTestApp, missingHeaders, type TestApp } from './app-helpers.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';

const LIMITED = { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_S: '60' };

function addStrictRoute(app: FastifyInstance): void {
  app.get(
    '/test/strict',
    {
      config: { rateLimit: { max: 1, timeWindow: 60_000 } },
      schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } },
    },
    async () => ({ ok: true }),
  );
}

describe.each(engines)('rate limiting on %s', (engine) => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    // Two app instances on one database stand for two web processes.
    a = await createTestApp(engine, { db, env: LIMITED });
    b = await createTestApp(engine, { db, env: LIMITED });
    addStrictRoute(a.app);
    await Promise.all([a.app.ready(), b.app.ready()]);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.close();
  });

  it('shares one counter across processes and answers 429 with Retry-After and the envelope', async () => {
    const ip = '198.51.100.1';
    const statuses = [];
    for (const app of [a.app, b.app, a.app]) {
      statuses.push((await app.inject({ url: '/api/v1/version', remoteAddress: ip })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200]);

    const res = await b.app.inject({ url: '/api/v1/version', remoteAddress: ip });
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: 'Too many requests; retry later.',
        details: { limit: 3, retryAfterSeconds: expect.any(Number) },
      },
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(missingHeaders(res.headers)).toEqual([]);

    const row = await db.kysely
      .selectFrom('rate_limits')
      .select('hits')
      .where('key', '=', `global|${ip}`)
      .executeTakeFirst();
    expect(row?.hits).toBe(4);
  });

  it('counts each client IP separately', async () => {
    const res = await a.app.inject({ url: '/api/v1/version', remoteAddress: '198.51.100.2' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-remaining']).toBe('2');
  });

  it('applies a stricter per-route limit with its own counter', async () => {
    const ip = '198.51.100.3';
    expect((await a.app.inject({ url: '/test/strict', remoteAddress: ip })).statusCode).toBe(200);
    const second = await a.app.inject({ url: '/test/strict', remoteAddress: ip });
    expect(second.statusCode).toBe(429);
    expect(second.json().error.details.limit).toBe(1);
    // The global counter for this IP was not spent by the route's own limit.
    expect(
      (await a.app.inject({ url: '/api/v1/version', remoteAddress: ip })).headers['x-ratelimit-remaining'],
    ).toBe('2');
  });

  it('limits unknown paths too, so probing is not free', async () => {
    const ip = '198.51.100.4';
    for (let i = 0; i < 3; i++)
      expect((await a.app.inject({ url: `/probe/${i}`, remoteAddress: ip })).statusCode).toBe(404);
    expect((await a.app.inject({ url: '/probe/4', remoteAddress: ip })).statusCode).toBe(429);
  });

  it('leaves /healthz out, so probes never see 429', async () => {
    const ip = '198.51.100.5';
    for (let i = 0; i < 5; i++)
      expect((await a.app.inject({ url: '/healthz', remoteAddress: ip })).statusCode).toBe(200);
  });

  it('starts a new window once the old one has expired', async () => {
    expect(await hit(db, 'test|window', 300)).toMatchObject({ current: 1 });
    const second = await hit(db, 'test|window', 300);
    expect(second.current).toBe(2);
    expect(second.ttl).toBeGreaterThan(0);
    expect(second.ttl).toBeLessThanOrEqual(300);
    await sleep(400);
    expect(await hit(db, 'test|window', 300)).toMatchObject({ current: 1 });
  });
});
