/**
 * Issue 17 item 3: every answer of a route that depends on the session or token carries
 * `Cache-Control: no-store` and `Vary: Cookie, Authorization`, whatever its status. The walk reads
 * the registered routes, so a route added later is checked too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import {
  createOrg,
  createServiceApp,
  createToken,
  signIn,
  type ServiceTestApp,
} from '../modules/scans/helpers.ts';
import type { SignedIn } from '../modules/auth/helpers.ts';
import { fillParams, isPublic, registeredRoutes } from './route-walk.ts';

function varyOf(header: unknown): string[] {
  return String(header ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase());
}

describe.each(engines)('private responses on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let orgId: string;
  let token: string;
  beforeAll(async () => {
    // A listed origin, so that CORS adds its own Vary entry (the last test).
    t = await createServiceApp(engine, { CORS_ORIGINS: 'https://elsewhere.test' }, []);
    owner = await signIn(t, 'owner@example.com');
    orgId = await createOrg(t, owner);
    token = await createToken(t, owner, orgId, ['org:read', 'sites:read', 'scans:read', 'findings:read']);
  }, 120_000);
  afterAll(async () => t?.close());

  it('every authenticated route answers no-store and varies on Cookie and Authorization', async () => {
    const routes = registeredRoutes(t.app).filter((r) => !isPublic(r));
    expect(routes.length).toBeGreaterThan(50);
    const missing: string[] = [];
    let answered = 0;
    for (const route of routes) {
      const url = fillParams(route.url, { orgId }, randomUUID());
      // Reads with the full session (real data); writes without the CSRF token, so the walk
      // changes nothing (their refusal must not be cacheable either).
      const headers =
        route.access === 'token'
          ? { authorization: `Bearer ${token}` }
          : route.method === 'GET'
            ? owner.headers
            : { cookie: owner.cookie };
      const res = await t.app.inject({ method: route.method as 'GET', url, headers });
      if (res.statusCode === 200) answered++;
      const vary = varyOf(res.headers.vary);
      if (
        res.headers['cache-control'] !== 'no-store' ||
        !vary.includes('cookie') ||
        !vary.includes('authorization')
      )
        missing.push(
          `${route.method} ${route.url} → ${res.statusCode} ${res.headers['cache-control']} / ${res.headers.vary}`,
        );
    }
    expect(missing).toEqual([]);
    // The walk reached real organisation data, not only refusals.
    expect(answered).toBeGreaterThan(15);
  });

  it('an API token answer is no-store too, and CORS keeps its own Vary entry', async () => {
    const res = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/sites`,
      headers: { authorization: `Bearer ${token}`, origin: 'https://elsewhere.test' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(varyOf(res.headers.vary)).toEqual(expect.arrayContaining(['origin', 'cookie', 'authorization']));
  });

  it('a public answer that sets no cookie stays cacheable by its own rules', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['cache-control']).not.toBe('no-store');
  });
});
