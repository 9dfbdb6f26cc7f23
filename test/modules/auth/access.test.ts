import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgRoleMatrix, tokenScopes } from '../../../src/modules/auth/permissions.ts';
import { engines } from '../../helpers/engines.ts';
import { createIdentityApp, eventsOf, signIn, type IdentityTestApp, type SignedIn } from './helpers.ts';

describe('permission matrix', () => {
  it('token scopes are org permissions a member has; viewers only read', () => {
    for (const scope of tokenScopes) expect(orgRoleMatrix.member).toContain(scope);
    expect(orgRoleMatrix.viewer.every((p) => p.endsWith(':read'))).toBe(true);
    expect(orgRoleMatrix.owner).toEqual(expect.arrayContaining([...orgRoleMatrix.admin]));
  });
});

describe.each(engines)('organisations, roles and API tokens (%s)', (engine) => {
  let t: IdentityTestApp;
  let owner: SignedIn;
  let outsider: SignedIn;
  let orgA: string;
  let orgB: string;
  beforeAll(async () => {
    t = await createIdentityApp(engine);
    await t.app.ready();
    owner = await signIn(t, 'owner@example.com');
    outsider = await signIn(t, 'outsider@example.com');
    orgA = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orgs',
        headers: owner.headers,
        payload: { name: 'A' },
      })
    ).json().id;
    orgB = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orgs',
        headers: outsider.headers,
        payload: { name: 'B' },
      })
    ).json().id;
  });
  afterAll(async () => t?.close());

  it('every registered route declares public, signed-in or a permission', () => {
    // registeredRoutes (validation plugin) lists every route; routeAccess (session plugin) what each declared.
    const urls = t.app.registeredRoutes;
    expect(urls).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'POST /api/v1/auth/sign-in',
        'GET /api/v1/orgs/:orgId',
        'DELETE /api/v1/orgs/:orgId/tokens/:tokenId',
      ]),
    );
    const undeclared = urls.filter((entry) => !t.app.routeAccess.has(entry));
    expect(undeclared).toEqual([]);
    // And the start-up guard refuses an undeclared route outright.
    expect(() => t.app.get('/api/v1/undeclared', { schema: {} }, async () => ({}))).toThrow();
  });

  it('a non-member gets 404 for another organisation, on every org route, and nothing changes', async () => {
    const before = (await eventsOf(t, 'authz.denied')).length;
    for (const [method, url, payload] of [
      ['GET', `/api/v1/orgs/${orgA}`, undefined],
      ['PATCH', `/api/v1/orgs/${orgA}`, { name: 'pwned' }],
      ['GET', `/api/v1/orgs/${orgA}/members`, undefined],
      ['PUT', `/api/v1/orgs/${orgA}/members`, { email: 'outsider@example.com', role: 'owner' }],
      ['GET', `/api/v1/orgs/${orgA}/tokens`, undefined],
      ['POST', `/api/v1/orgs/${orgA}/tokens`, { name: 'x', scopes: ['scans:read'] }],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: outsider.headers,
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await eventsOf(t, 'authz.denied')).length).toBe(before + 6);
    const org = await t.db.kysely
      .selectFrom('orgs')
      .selectAll()
      .where('id', '=', orgA)
      .executeTakeFirstOrThrow();
    expect(org.name).toBe('A');
    expect(
      await t.db.kysely.selectFrom('memberships').selectAll().where('org_id', '=', orgA).execute(),
    ).toHaveLength(1);
  });

  it('a viewer reads but may not change (403); an owner adds members', async () => {
    const add = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgA}/members`,
      headers: owner.headers,
      payload: { email: 'viewer@example.com', role: 'viewer' },
    });
    expect(add.statusCode).toBe(200);
    const viewer = await signIn(t, 'viewer@example.com');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${orgA}`, headers: viewer.headers })).json(),
    ).toMatchObject({ name: 'A', role: 'viewer' });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${orgA}`,
      headers: viewer.headers,
      payload: { name: 'nope' },
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json().error.code).toBe('forbidden');
    const massAssign = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${orgA}`,
      headers: owner.headers,
      payload: { name: 'A', role: 'owner' },
    });
    expect(massAssign.statusCode).toBe(400);
  });

  it('API tokens: shown once, hashed, scoped, org-bound, revocable', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgA}/tokens`,
      headers: owner.headers,
      payload: { name: 'ci', scopes: ['scans:read'], expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const { token, id, prefix } = created.json();
    expect(token).toMatch(/^vio_pat_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(prefix)).toBe(true);
    const row = await t.db.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${orgA}/tokens`,
      headers: owner.headers,
    });
    expect(list.body).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const scoped = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${orgA}`, headers: bearer });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().error.code).toBe('insufficient_scope');
    const other = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${orgB}`, headers: bearer });
    expect(other.statusCode).toBe(404);
    const account = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: bearer });
    expect(account.statusCode).toBe(403);

    const readOrg = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgA}/tokens`,
        headers: owner.headers,
        payload: { name: 'cli', scopes: ['org:read'] },
      })
    ).json();
    const ok = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${orgA}`,
      headers: { authorization: `Bearer ${readOrg.token}` },
    });
    expect(ok.statusCode).toBe(200);
    const used = await t.db.kysely
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', readOrg.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toBeInstanceOf(Date);

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgA}/tokens/${readOrg.id}`,
      headers: owner.headers,
    });
    expect(revoke.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${orgA}`,
      headers: { authorization: `Bearer ${readOrg.token}` },
    });
    expect(after.statusCode).toBe(401);
    expect((await eventsOf(t, 'token.invalid')).at(-1)!.details).toContain('revoked');
    const forged = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${orgA}`,
      headers: { authorization: 'Bearer vio_pat_forgedforgedforged' },
    });
    expect(forged.statusCode).toBe(401);
  });
});
