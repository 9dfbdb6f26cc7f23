import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
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

describe.each(engines)('draining on %s', (engine) => {
  it('answers a request that arrives on a kept-alive connection while closing with 503 and Connection: close', async () => {
    const t = await createTestApp(engine);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    t.app.get(
      '/test/slow',
      { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } },
      async () => {
        entered();
        await released;
        return { ok: true };
      },
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect((t.app.server.address() as AddressInfo).port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (answer += chunk));
    const socketClosed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await inHandler;
    const closing = t.app.close();
    await nextTurn(); // preClose has marked the drain
    // The connection is busy, so it stays open: the next request on it arrives while draining.
    socket.write('GET /api/v1/version HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(100);
    release();
    await socketClosed;
    await closing;
    await t.db.close();
    const second = answer.slice(answer.indexOf('HTTP/1.1', 1));
    expect(answer.startsWith('HTTP/1.1 200')).toBe(true);
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/\r\nretry-after: 10\r\n/i);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(second).toContain('"code":"unavailable"');
  }, 20_000);
});
