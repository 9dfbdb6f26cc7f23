/**
 * Issue 17 item 5: values the schemas accepted but PostgreSQL refused (a 500 with the database's
 * message) are refused at the schema layer with the 400 envelope: a NUL character in any string
 * and a non-finite number. The probe's exact requests, on both engines; nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsafeInput } from '../../src/http/unsafe-input.ts';
import { engines } from '../helpers/engines.ts';
import { buildStaff, buildUser, sessionHeaders } from '../helpers/trust.ts';
import { createTestApp, testConfig, type TestApp } from './app-helpers.ts';

describe('unsafeInput', () => {
  it('names every NUL-bearing string or key and every non-finite number, at any depth', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(unsafeInput(deep)).toHaveLength(1);
    expect(
      unsafeInput({ a: 'x\u0000y', b: [1, Infinity], 'k\u0000': 1, c: { d: -Infinity }, ok: 'fine', n: NaN })
        .map((i) => `${i.instancePath} ${i.message}`)
        .sort(),
    ).toEqual([
      ' property names must not contain NUL characters',
      '/a must not contain NUL characters',
      '/b/1 must be a finite number',
      '/c/d must be a finite number',
      '/n must be a finite number',
    ]);
    expect(unsafeInput({ a: 'plain', b: [1, 2.5, -3], c: null, d: true })).toEqual([]);
  });
});

describe.each(engines)('NUL and non-finite input on %s', (engine) => {
  let t: TestApp;
  let headers: Record<string, string>;
  let staff: Record<string, string>;
  let orgId: string;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { RATE_LIMIT_MAX: '100000' } });
    const user = await buildUser(t.db);
    headers = await sessionHeaders(t.db, testConfig(), user);
    staff = (await buildStaff(t.db, testConfig(), 'security')).headers;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers,
      payload: { name: 'Org' },
    });
    expect(created.statusCode).toBe(201);
    orgId = created.json().id;
  }, 120_000);
  afterAll(async () => t?.close());

  const expectRefused = (res: { statusCode: number; json(): unknown }, path: string, message: string) => {
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.any(String),
        details: expect.arrayContaining([{ path, message }]),
      },
    });
  };

  it('refuses the probe’s NUL strings with 400 and writes nothing', async () => {
    const reports = await t.db.kysely.selectFrom('vulnerability_reports').selectAll().execute();
    const orgs = await t.db.kysely.selectFrom('orgs').selectAll().execute();
    const nul = 'must not contain NUL characters';
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/disclosure/reports',
        payload: { title: 'x\u0000y', description: 'a long enough description' },
      }),
      'body.title',
      nul,
    );
    expectRefused(
      await t.app.inject({ method: 'POST', url: '/api/v1/orgs', headers, payload: { name: 'a\u0000b' } }),
      'body.name',
      nul,
    );
    expectRefused(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/orgs/${orgId}`,
        headers,
        payload: { name: 'a\u0000' },
      }),
      'body.name',
      nul,
    );
    expectRefused(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/auth/mfa/passkeys/${randomUUID()}`,
        headers,
        payload: { name: 'key\u0000' },
      }),
      'body.name',
      nul,
    );
    expect(await t.db.kysely.selectFrom('vulnerability_reports').selectAll().execute()).toEqual(reports);
    expect(await t.db.kysely.selectFrom('orgs').selectAll().execute()).toEqual(orgs);
  });

  it('refuses non-finite numbers in the query and in JSON bodies', async () => {
    expectRefused(
      await t.app.inject({ url: '/api/v1/admin/audit?before=1e309', headers: staff }),
      'querystring.before',
      'must be a finite number',
    );
    for (const url of [
      `/api/v1/orgs/${orgId}/scans?limit=1e309`,
      `/api/v1/orgs/${orgId}/findings?limit=1e309`,
      '/api/v1/admin/audit?limit=1e309',
    ]) {
      const res = await t.app.inject({ url, headers: url.includes('admin') ? staff : headers });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  });
});
