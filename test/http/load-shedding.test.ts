import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { createTestApp, missingHeaders, type TestApp } from './app-helpers.ts';
import { engines } from '../helpers/engines.ts';

describe.each(engines)('load shedding on %s', (engine) => {
  let t: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    // Any real process uses more than 1 byte of memory: permanently "under pressure".
    t = await createTestApp(engine, {
      logger,
      env: { MAX_RSS_BYTES: '1' },
      build: { pressureSampleIntervalMs: 100 },
    });
    await t.app.ready();
    await sleep(250);
  });
  afterAll(() => t.close());

  it('answers 503 unavailable with Retry-After, the envelope and security headers, and logs it', async () => {
    const res = await t.app.inject({ url: '/api/v1/version' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: { code: 'unavailable', message: 'The service is temporarily unavailable; retry later.' },
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(missingHeaders(res.headers)).toEqual([]);
    expect(
      lines.some((line) => line.includes('"msg":"shedding load"') && line.includes('"pressure":"rssBytes"')),
    ).toBe(true);
  });

  it('sheds /readyz so a balancer takes the process out of rotation', async () => {
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(503);
  });

  it('never sheds /healthz, so a busy process is not restarted for being busy', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
  });
});

describe.each(engines)('no pressure on %s', (engine) => {
  it('serves normally under the default thresholds', async () => {
    const t = await createTestApp(engine, { build: { pressureSampleIntervalMs: 100 } });
    try {
      await t.app.ready();
      await sleep(250);
      expect((await t.app.inject({ url: '/api/v1/version' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
