import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import { createOrg, createServiceApp, signIn, type ServiceTestApp } from '../scans/helpers.ts';
import type { SignedIn } from '../auth/helpers.ts';

/** GET /api/v1/token: a token bearer learns its organisation (what `scan --remote` needs). */
describe.each(engines)('GET /api/v1/token on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let orgId: string;
  beforeAll(async () => {
    t = await createServiceApp(engine);
    owner = await signIn(t, 'tokens@example.com');
    orgId = await createOrg(t, owner, 'Acme CI');
    await createOrg(t, owner, 'Other org');
  }, 120_000);
  afterAll(async () => t?.close());

  const mint = async (scopes: string[], expiresInDays?: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/tokens`,
      headers: owner.headers,
      payload: { name: 'ci', scopes, ...(expiresInDays ? { expiresInDays } : {}) },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string; token: string; prefix: string; expiresAt: string | null }>();
  };
  const whoami = (authorization?: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'GET',
      url: '/api/v1/token',
      headers: { ...headers, ...(authorization ? { authorization } : {}) },
    });

  it('answers the token’s organisation, scopes and expiry, whatever its scopes', async () => {
    const plain = await mint(['scans:read']);
    const res = await whoami(`Bearer ${plain.token}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: plain.id,
      name: 'ci',
      prefix: plain.prefix,
      orgId,
      orgName: 'Acme CI',
      scopes: ['scans:read'],
      expiresAt: null,
    });
    expect(res.body).not.toContain(plain.token);

    const expiring = await mint(['sites:read', 'scans:write'], 30);
    const body = (await whoami(`Bearer ${expiring.token}`)).json<{ expiresAt: string; scopes: string[] }>();
    expect(body.expiresAt).toBe(expiring.expiresAt);
    expect(body.scopes).toEqual(['sites:read', 'scans:write']);
  });

  it('an expired token is token_expired, a revoked one token_revoked, a forged one unauthorized', async () => {
    const expired = await mint(['scans:read'], 1);
    await t.db.kysely
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expired.id)
      .execute();
    const e = await whoami(`Bearer ${expired.token}`);
    expect(e.statusCode).toBe(401);
    expect(e.json().error).toEqual({
      code: 'token_expired',
      message: 'The API token has expired; create a new one.',
    });

    const revoked = await mint(['scans:read']);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgId}/tokens/${revoked.id}`,
      headers: owner.headers,
    });
    expect(del.statusCode).toBe(204);
    const r = await whoami(`Bearer ${revoked.token}`);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('token_revoked');
    // Other routes say the same.
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${orgId}/scans`,
      headers: { authorization: `Bearer ${revoked.token}` },
    });
    expect(other.json().error.code).toBe('token_revoked');

    for (const bad of ['Bearer vio_pat_forgedforgedforgedforged', 'Bearer nope', 'Basic abc']) {
      const f = await whoami(bad);
      expect(f.statusCode).toBe(401);
      expect(f.json().error.code).toBe('unauthorized');
    }
    expect((await whoami()).json().error.code).toBe('unauthorized');
  });

  it('a browser session is refused: the route is for token bearers', async () => {
    const res = await whoami(undefined, owner.headers);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({
      code: 'unauthorized',
      message: 'This route needs an API token (Authorization: Bearer vio_pat_…).',
    });
  });

  it('a token whose owner left the organisation is refused', async () => {
    const member = await signIn(t, 'leaver@example.com');
    // Owner adds the member directly (the invitation flow is tested elsewhere).
    await t.db.kysely
      .insertInto('memberships')
      .values({ org_id: orgId, user_id: member.userId, role: 'admin' })
      .execute();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/tokens`,
      headers: member.headers,
      payload: { name: 'leaver', scopes: ['scans:read'] },
    });
    expect(res.statusCode).toBe(201);
    const token = res.json<{ token: string }>().token;
    expect((await whoami(`Bearer ${token}`)).statusCode).toBe(200);
    await t.db.kysely
      .deleteFrom('memberships')
      .where('org_id', '=', orgId)
      .where('user_id', '=', member.userId)
      .execute();
    const gone = await whoami(`Bearer ${token}`);
    expect(gone.statusCode).toBe(401);
    expect(gone.json().error.code).toBe('token_revoked');
  });
});
