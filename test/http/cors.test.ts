import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrigins } from '../../src/http/plugins/cors.ts';
import { createTestApp, type TestApp } from './app-helpers.ts';
import { engines } from '../helpers/engines.ts';

const LISTED = 'https://app.example.com';

describe('parseOrigins', () => {
  it('normalises case, spaces and a trailing slash; absent means none', () => {
    expect([...parseOrigins('https://A.example.com/, http://b.example')]).toEqual([
      'https://a.example.com',
      'http://b.example',
    ]);
    expect(parseOrigins(undefined).size).toBe(0);
  });
});

describe.each(engines)('CORS on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { CORS_ORIGINS: `${LISTED},https://other.example.com` } });
    await t.app.ready();
  });
  afterAll(() => t.close());

  it('a listed origin gets its own origin back, with credentials', async () => {
    const res = await t.app.inject({ url: '/api/v1/version', headers: { origin: LISTED } });
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers.vary)).toMatch(/origin/i);
  });

  it.each([['https://evil.example'], ['https://app.example.com.evil.example'], ['null']])(
    'an unlisted origin %s gets no CORS headers at all',
    async (origin) => {
      const res = await t.app.inject({ url: '/api/v1/version', headers: { origin } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    },
  );

  it('a preflight from a listed origin is answered 204 with the allowed methods', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/version',
      headers: { origin: LISTED, 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
  });

  it('a preflight from an unlisted origin is refused with the 404 envelope', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/version',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe.each(engines)('CORS without CORS_ORIGINS on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.app.ready();
  });
  afterAll(() => t.close());

  it('gives any origin no CORS header, and its preflight the 404 envelope', async () => {
    const res = await t.app.inject({ url: '/api/v1/version', headers: { origin: LISTED } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/version',
      headers: { origin: LISTED, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(404);
    expect(preflight.json().error.code).toBe('not_found');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});
