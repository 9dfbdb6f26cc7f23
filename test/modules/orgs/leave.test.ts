import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { engines } from '../../helpers/engines.ts';
import { createIdentityApp, eventsOf, signIn, type IdentityTestApp, type SignedIn } from '../auth/helpers.ts';

describe.each(engines)('leaving an organisation (%s)', (engine) => {
  let t: IdentityTestApp;
  let owner: SignedIn;
  let viewer: SignedIn;
  let outsider: SignedIn;
  let orgId: string;
  let otherOrg: string;

  const leave = (who: SignedIn, org = orgId, headers: Record<string, string> = who.headers) =>
    t.app.inject({ method: 'POST', url: `/api/v1/orgs/${org}/leave`, headers, payload: {} });
  const memberships = (org: string) =>
    t.db.kysely
      .selectFrom('memberships')
      .select(['user_id', 'role'])
      .where('org_id', '=', org)
      .orderBy('user_id')
      .execute();
  const auditActions = async () =>
    (await t.db.kysely.selectFrom('audit_log').select(['action', 'target_id', 'details']).execute()).filter(
      (r) => r.action === 'org.member_left',
    );

  beforeAll(async () => {
    t = await createIdentityApp(engine);
    owner = await signIn(t, 'owner@leave.example');
    outsider = await signIn(t, 'outsider@leave.example');
    const create = (who: SignedIn, name: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/orgs', headers: who.headers, payload: { name } });
    orgId = (await create(owner, 'Leave')).json<{ id: string }>().id;
    otherOrg = (await create(outsider, 'Other')).json<{ id: string }>().id;
    const add = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/members`,
      headers: owner.headers,
      payload: { email: 'viewer@leave.example', role: 'viewer' },
    });
    expect(add.statusCode).toBe(200);
    viewer = await signIn(t, 'viewer@leave.example');
  });
  afterAll(async () => t?.close());

  it('an outsider gets 404 and nothing changes', async () => {
    const before = await memberships(orgId);
    const res = await leave(outsider);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect(await memberships(orgId)).toEqual(before);
    expect(await auditActions()).toEqual([]);
  });

  it('the last owner cannot leave (409) and stays owner', async () => {
    const before = await memberships(orgId);
    const res = await leave(owner);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'conflict',
      message: 'An organisation keeps at least one owner.',
    });
    expect(await memberships(orgId)).toEqual(before);
    expect(await auditActions()).toEqual([]);
  });

  it('an API token cannot leave for its creator (403) and nothing changes', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/tokens`,
      headers: owner.headers,
      payload: { name: 'ci', scopes: ['org:read'], expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const before = await memberships(orgId);
    const res = await leave(owner, orgId, {
      authorization: `Bearer ${created.json<{ token: string }>().token}`,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect(await memberships(orgId)).toEqual(before);
    expect(await auditActions()).toEqual([]);
  });

  it('a request without the CSRF token is refused and the viewer stays', async () => {
    const { ['x-csrf-token']: _csrf, ...noCsrf } = viewer.headers;
    const res = await leave(viewer, orgId, noCsrf);
    expect(res.statusCode).toBe(403);
    expect((await memberships(orgId)).some((m) => m.user_id === viewer.userId)).toBe(true);
  });

  it('a viewer leaves: no longer sees the organisation (404); audit entry and security event', async () => {
    const seen = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${orgId}`, headers: viewer.headers });
    expect(seen.statusCode).toBe(200);
    const otherBefore = await memberships(otherOrg);

    const res = await leave(viewer);
    expect(res.statusCode).toBe(204);

    const after = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${orgId}`,
      headers: viewer.headers,
    });
    expect(after.statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/orgs', headers: viewer.headers });
    expect(list.json<{ orgs: { id: string }[] }>().orgs.map((o) => o.id)).not.toContain(orgId);
    expect(await memberships(orgId)).toEqual([{ user_id: owner.userId, role: 'owner' }]);
    expect(await memberships(otherOrg)).toEqual(otherBefore);

    const audit = await auditActions();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.target_id).toBe(viewer.userId);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toEqual({ orgId, via: 'session', previous: 'viewer' });
    expect(audit[0]?.details).not.toContain('@');
    expect((await verifyAuditChain(t.db)).ok).toBe(true);

    const revoked = (await eventsOf(t, 'role.revoked')).filter((e) => e.user_id === viewer.userId);
    expect(revoked).toHaveLength(1);
    expect(revoked[0]?.actor_id).toBe(viewer.userId);

    // Leaving twice: the former member is an outsider now.
    expect((await leave(viewer)).statusCode).toBe(404);
    expect(await auditActions()).toHaveLength(1);
  });

  it('an owner may leave once another owner remains', async () => {
    const add = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/members`,
      headers: owner.headers,
      payload: { email: 'second@leave.example', role: 'owner' },
    });
    expect(add.statusCode).toBe(200);
    expect((await leave(owner)).statusCode).toBe(204);
    expect(await memberships(orgId)).toEqual([{ user_id: add.json<{ id: string }>().id, role: 'owner' }]);
    // The token the owner made earlier ends with the membership (it would otherwise revive on rejoining).
    const tokens = await t.db.kysely
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('org_id', '=', orgId)
      .where('user_id', '=', owner.userId)
      .execute();
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((token) => token.revoked_at !== null)).toBe(true);
  });

  it('of two owners leaving at the same moment, exactly one may go', async () => {
    const first = await signIn(t, 'first@race.example');
    const org = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orgs',
        headers: first.headers,
        payload: { name: 'Race' },
      })
    ).json<{ id: string }>().id;
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${org}/members`,
      headers: first.headers,
      payload: { email: 'second@race.example', role: 'owner' },
    });
    const second = await signIn(t, 'second@race.example');
    const results = await Promise.all([leave(first, org), leave(second, org)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 409]);
    const left = await memberships(org);
    expect(left).toHaveLength(1);
    expect(left[0]?.role).toBe('owner');
  });

  it('of two owners demoting each other at the same moment, exactly one succeeds', async () => {
    const a = await signIn(t, 'a@demote.example');
    const org = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/orgs',
        headers: a.headers,
        payload: { name: 'Demote' },
      })
    ).json<{ id: string }>().id;
    const setRole = (who: SignedIn, email: string, role: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/orgs/${org}/members`,
        headers: who.headers,
        payload: { email, role },
      });
    expect((await setRole(a, 'b@demote.example', 'owner')).statusCode).toBe(200);
    const b = await signIn(t, 'b@demote.example');
    const results = await Promise.all([
      setRole(a, 'b@demote.example', 'admin'),
      setRole(b, 'a@demote.example', 'admin'),
    ]);
    // The second change sees, under the lock, that its actor is no longer an owner.
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 403]);
    expect((await memberships(org)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });
});
