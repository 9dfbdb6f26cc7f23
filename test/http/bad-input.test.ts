import { Type } from '@sinclair/typebox';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, missingHeaders, type TestApp } from './app-helpers.ts';
import { parseRaw, rawRequest } from './raw-socket.ts';
import { engines } from '../helpers/engines.ts';

const BODY_LIMIT = 1024;
const json = { 'content-type': 'application/json' };

type Case = [name: string, request: InjectOptions, status: number, code: string, message: string];

const cases: Case[] = [
  [
    'malformed JSON',
    { payload: '{"expiredRateLimits": ', headers: json },
    400,
    'invalid_json',
    'The request body is not valid JSON.',
  ],
  [
    'an empty JSON body',
    { payload: '', headers: json },
    400,
    'invalid_json',
    'The request body is not valid JSON.',
  ],
  [
    'prototype poisoning',
    { payload: '{"__proto__":{"admin":true}}', headers: json },
    400,
    'invalid_json',
    'The request body is not valid JSON.',
  ],
  [
    'text/plain',
    { payload: 'expiredRateLimits=1', headers: { 'content-type': 'text/plain' } },
    415,
    'unsupported_media_type',
    'Unsupported content type; send application/json.',
  ],
  [
    'a form post',
    { payload: 'expiredRateLimits=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    415,
    'unsupported_media_type',
    'Unsupported content type; send application/json.',
  ],
  [
    'an oversized body',
    { payload: JSON.stringify({ expiredRateLimits: 1, pad: 'x'.repeat(BODY_LIMIT) }), headers: json },
    413,
    'payload_too_large',
    'The request body is too large.',
  ],
  [
    'an unknown field',
    { payload: { expiredRateLimits: 1, role: 'admin' } },
    400,
    'validation_failed',
    'The request did not pass validation.',
  ],
  [
    'a wrong type',
    { payload: { expiredRateLimits: 'many' } },
    400,
    'validation_failed',
    'The request did not pass validation.',
  ],
  [
    'an unknown route',
    { url: '/test/no-such-thing', payload: { expiredRateLimits: 1 } },
    404,
    'not_found',
    'No such resource.',
  ],
];

describe.each(engines)('bad input on %s', (engine) => {
  let t: TestApp;

  const count = async (): Promise<number> =>
    Number(
      (
        await t.db.kysely
          .selectFrom('housekeeping_runs')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { BODY_LIMIT: String(BODY_LIMIT), RATE_LIMIT_MAX: '1000' } });
    // A harmless route that writes, so "nothing written" has something to be wrong about.
    t.app.post(
      '/test/notes',
      {
        schema: {
          body: Type.Object({ expiredRateLimits: Type.Integer({ minimum: 0, maximum: 1000 }) }),
          response: { 201: Type.Object({ ok: Type.Boolean() }) },
        },
      },
      async (request, reply) => {
        const { expiredRateLimits } = request.body as { expiredRateLimits: number };
        await t.db.kysely
          .insertInto('housekeeping_runs')
          .values({ expired_rate_limits: expiredRateLimits })
          .execute();
        return reply.status(201).send({ ok: true });
      },
    );
    t.app.get(
      '/test/notes',
      {
        schema: {
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }),
        },
      },
      async () => ({}),
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('a well-formed request writes (so the checks below can fail)', async () => {
    const before = await count();
    const res = await t.app.inject({ method: 'POST', url: '/test/notes', payload: { expiredRateLimits: 3 } });
    expect(res.statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it.each(cases)('%s → %i %s, nothing written', async (_name, request, status, code, message) => {
    const before = await count();
    const res = await t.app.inject({ method: 'POST', url: '/test/notes', ...request });
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatchObject({ code, message });
    expect(missingHeaders(res.headers)).toEqual([]);
    expect(res.body).not.toMatch(/FST_|at \/|node_modules/);
    expect(await count()).toBe(before);
  });

  it('names the unknown field in details', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/test/notes',
      payload: { expiredRateLimits: 1, role: 'admin' },
    });
    expect(res.json().error.details).toEqual([
      { path: 'body.role', message: 'must NOT have additional properties' },
    ]);
  });

  it.each([
    ['limit=abc', 'must be integer'],
    ['limit=0', 'must be >= 1'],
    ['limit=5&debug=1', 'must NOT have additional properties'],
  ])('invalid query %s → 400 validation_failed', async (query, detail) => {
    const res = await t.app.inject({ url: `/test/notes?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ message: detail }] });
    expect(missingHeaders(res.headers)).toEqual([]);
  });

  it('a huge header → 431 headers_too_large on the socket, with envelope and security headers, nothing written', async () => {
    const before = await count();
    const { port } = t.app.server.address() as { port: number };
    const body = JSON.stringify({ expiredRateLimits: 1 });
    const answer = await rawRequest(
      port,
      `POST /test/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
        `X-Filler: ${'a'.repeat(20 * 1024)}\r\n\r\n${body}`,
    );
    const res = parseRaw(answer);
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'headers_too_large', message: 'The request headers are too large.' },
    });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(missingHeaders(res.headers)).toEqual([]);
    expect(await count()).toBe(before);
  });
});
