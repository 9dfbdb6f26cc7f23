import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { createTestApp, missingHeaders, type TestApp } from './app-helpers.ts';
import { parseRaw, rawRequest } from './raw-socket.ts';
import { engines } from '../helpers/engines.ts';

describe.each(engines)('error envelope on %s', (engine) => {
  let t: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    t = await createTestApp(engine, { logger });
    t.app.get('/test/boom', { schema: {} }, async () => {
      throw new Error('connect ECONNREFUSED 10.1.2.3:5432 for ops@internal.example');
    });
    t.app.get(
      '/test/search',
      {
        schema: {
          querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100 }), q: Type.String() }),
        },
      },
      async () => ({}),
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('an unknown route is 404 not_found', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No such resource.' } });
  });

  it('an unexpected failure is 500 internal: logged with the request id, nothing internal sent', async () => {
    lines.length = 0;
    const res = await t.app.inject({ url: '/test/boom', headers: { 'x-request-id': 'boom-request-1' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side. It has been logged.' },
    });
    expect(res.body).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|at .*\.ts|stack/);
    expect(missingHeaders(res.headers)).toEqual([]);

    const logged = lines.map((line) => JSON.parse(line)).find((r) => r.msg === 'request failed');
    expect(logged).toMatchObject({ level: 50, reqId: 'boom-request-1', code: 'internal' });
    expect(logged.err.message).toContain('ECONNREFUSED 10.1.2.3:5432');
    expect(logged.err.stack).toContain('errors.test.ts');
    expect(JSON.stringify(logged)).not.toContain('ops@internal.example');
  });

  it('validation failures list every offending field path', async () => {
    const res = await t.app.inject({ url: '/test/search?limit=0&extra=1' });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('The request did not pass validation.');
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'querystring.extra',
      'querystring.limit',
      'querystring.q',
    ]);
  });

  it('a garbled request line gets 400 bad_request with the envelope and security headers', async () => {
    const { port } = t.app.server.address() as { port: number };
    const res = parseRaw(await rawRequest(port, 'NOT AN HTTP REQUEST\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'bad_request', message: 'The request is malformed.' },
    });
    expect(missingHeaders(res.headers)).toEqual([]);
  });
});
