import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { createTestApp, type TestApp } from './app-helpers.ts';
import { engines } from '../helpers/engines.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(engines)('request ids and logs on %s', (engine) => {
  let t: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    t = await createTestApp(engine, { logger });
    // What a careless module might do: log every header it was sent.
    t.app.get('/test/echo-log', { schema: { response: { 200: Type.Object({}) } } }, async (request) => {
      request.log.info({ headers: request.headers }, 'headers seen');
      return {};
    });
    await t.app.ready();
  });
  afterAll(() => t.close());

  it('generates a UUID request id and echoes it', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(String(res.headers['x-request-id'])).toMatch(UUID);
  });

  it('keeps a safe incoming x-request-id', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-7f3a.91:abc' } });
    expect(res.headers['x-request-id']).toBe('lb-7f3a.91:abc');
  });

  it.each([['<script>alert(1)</script>'], ['line\\nbreak-forged'], ['x'.repeat(200)], ['short']])(
    'replaces an unsafe incoming id %#',
    async (incoming) => {
      const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': incoming } });
      expect(String(res.headers['x-request-id'])).toMatch(UUID);
    },
  );

  it('logs the request under its id without authorization, cookies, tokens or emails', async () => {
    lines.length = 0;
    const res = await t.app.inject({
      url: '/test/echo-log?email=alice@example.com&token=tok_abcdefgh12345',
      headers: {
        authorization: 'Bearer secret',
        cookie: 'pref=cookievalue123456',
        'x-request-id': 'redaction-test-1',
      },
    });
    // The identity module may refuse an unknown token (401); the log must be clean either way.
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r.msg === 'request completed')).toMatchObject({
      reqId: 'redaction-test-1',
      method: 'GET',
      url: '/test/echo-log?email=[email]&token=[redacted]',
      statusCode: res.statusCode,
    });
    for (const secret of ['Bearer secret', 'cookievalue123456', 'alice@example.com', 'tok_abcdefgh12345']) {
      expect(lines.join('')).not.toContain(secret);
    }
  });

  it('logs the sign-in link page without its token', async () => {
    lines.length = 0;
    const linkToken = 'c2lnbmlubGlua3Rva2VuMTIzNDU2Nzg5';
    await t.app.inject({ url: `/auth/confirm?t=${linkToken}` });
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r.msg === 'request completed')).toMatchObject({
      url: '/auth/confirm?t=[redacted]',
    });
    expect(lines.join('')).not.toContain(linkToken);
  });

  it('censors cookie and authorization headers a handler logs', async () => {
    lines.length = 0;
    const res = await t.app.inject({
      url: '/test/echo-log',
      headers: { cookie: 'pref=cookievalue123456', 'x-request-id': 'redaction-test-2' },
    });
    expect(res.statusCode).toBe(200);
    const seen = lines.map((line) => JSON.parse(line)).find((r) => r.msg === 'headers seen');
    expect(seen).toMatchObject({ reqId: 'redaction-test-2', headers: { cookie: '[redacted]' } });
    expect(lines.join('')).not.toContain('cookievalue123456');
  });
});
