import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobs, type Jobs } from '../../../src/jobs/boss.ts';
import { createTestApp, type TestApp } from '../../http/app-helpers.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';

describe.each(engines)('system endpoints on %s', (engine) => {
  let db: TestDatabase;
  let jobs: Jobs;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    jobs = await startJobs(db, { supervise: false, logger: pino({ level: 'silent' }) });
    t = await createTestApp(engine, { db, jobsPing: () => jobs.ping() });
    await t.app.ready();
  });
  afterAll(async () => {
    await t.close();
    await jobs.stop();
    await db.close();
  });

  it('GET /healthz answers 200 {status: ok}', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reaches the database and the real job queue', async () => {
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', components: { database: 'ok', queue: 'ok' } });
  });

  it('GET /api/v1/version names the build and the engine', async () => {
    const res = await t.app.inject({ url: '/api/v1/version' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'vioscan',
      version: '9.9.9-test',
      engine,
      schemaVersion: expect.stringMatching(/^\d{4}_/),
    });
  });

  it('GET /api/openapi.json is OpenAPI 3 and lists every route with its methods', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = t.app.registeredRoutes;
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /readyz',
        'GET /api/v1/version',
        'GET /api/openapi.json',
        'GET /',
      ]),
    );
    // OpenAPI writes path parameters as {name}, fastify as :name.
    expect(documented.sort()).toEqual([...routes].map((r) => r.replace(/:(\w+)/g, '{$1}')).sort());
    expect(doc.paths['/readyz']?.get).toMatchObject({ responses: { '200': {}, '5XX': {} } });
  });
});

describe.each(engines)('/readyz failures on %s', (engine) => {
  it('names the queue when the job queue is unreachable', async () => {
    const t = await createTestApp(engine, {
      jobsPing: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    try {
      const res = await t.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        error: {
          code: 'unavailable',
          message: 'Not ready: queue unreachable.',
          details: { components: { database: 'ok', queue: 'failed' } },
        },
      });
      expect(res.body).not.toContain('ECONNREFUSED');
    } finally {
      await t.close();
    }
  });

  it('names the database when it is gone, and the rate limiter fails open', async () => {
    const t = await createTestApp(engine);
    try {
      await t.app.ready();
      await t.db.close();
      const res = await t.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({
        code: 'unavailable',
        message: 'Not ready: database unreachable.',
        details: { components: { database: 'failed', queue: 'ok' } },
      });
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });
});
