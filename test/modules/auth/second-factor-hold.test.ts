import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import { createIdentityApp, enableTotp, signIn, type IdentityTestApp } from './helpers.ts';

/**
 * What a session held for its second factor must not reach besides the TOTP setup the main test
 * checks: binding a new factor or address, minting credentials, managing sessions, organisation
 * routes (leave), account data. An API token made before is not a session and is not held.
 */
describe.each(engines)('a held session reaches nothing that changes the account (%s)', (engine) => {
  let t: IdentityTestApp;

  beforeAll(async () => {
    t = await createIdentityApp(engine);
  });
  afterAll(async () => t?.close());

  it('refuses email change, passkey registration, tokens, sessions, leaving and exports', async () => {
    const email = 'held-reach@example.com';
    const full = (await enableTotp(t, await signIn(t, email))).signedIn;
    const org = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: full.headers,
      payload: { name: 'Held reach' },
    });
    expect(org.statusCode).toBe(201);
    const orgId = org.json<{ id: string }>().id;
    const made = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/tokens`,
      headers: full.headers,
      payload: { name: 'ci', scopes: ['sites:read'] },
    });
    expect(made.statusCode).toBe(201);
    const token = made.json<{ token: string }>().token;

    const held = await signIn(t, email);
    const attempts: [string, string, object?][] = [
      ['POST', '/api/v1/auth/email/change', { email: 'attacker@example.com' }],
      ['POST', '/api/v1/auth/mfa/passkeys/register/options', {}],
      ['DELETE', '/api/v1/auth/mfa/totp'],
      ['POST', `/api/v1/orgs/${orgId}/tokens`, { name: 'stolen', scopes: ['sites:read'] }],
      ['POST', '/api/v1/auth/sessions/revoke-others', {}],
      ['GET', '/api/v1/auth/sessions'],
      ['POST', `/api/v1/orgs/${orgId}/leave`, {}],
      ['POST', '/api/v1/account/exports', {}],
      ['GET', '/api/v1/account/exports'],
      ['POST', '/api/v1/account/delete', { confirm: 'x' }],
    ];
    for (const [method, url, payload] of attempts) {
      const r = await t.app.inject({
        method: method as 'GET',
        url,
        headers: payload ? held.headers : { cookie: held.cookie },
        ...(payload ? { payload } : {}),
      });
      expect(r.statusCode, `${method} ${url}`).toBe(401);
      expect(r.json().error.code, `${method} ${url}`).toBe('second_factor_required');
    }
    expect(await t.db.kysely.selectFrom('email_changes').select('user_id').execute()).toEqual([]);
    expect(
      await t.db.kysely.selectFrom('api_tokens').select('name').where('name', '=', 'stolen').execute(),
    ).toEqual([]);
    expect(await t.db.kysely.selectFrom('data_exports').select('id').execute()).toEqual([]);
    const members = await t.db.kysely
      .selectFrom('memberships')
      .select('user_id')
      .where('org_id', '=', orgId)
      .execute();
    expect(members).toHaveLength(1);

    // A token is its own credential: the held sign-in does not affect it, nor does it free the hold.
    const self = await t.app.inject({ url: '/api/v1/token', headers: { authorization: `Bearer ${token}` } });
    expect(self.statusCode).toBe(200);
    expect(self.json()).not.toHaveProperty('token');
    const both = await t.app.inject({
      url: '/api/v1/auth/sessions',
      headers: { cookie: held.cookie, authorization: `Bearer ${token}` },
    });
    expect(both.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/orgs', headers: { cookie: held.cookie } })).statusCode).toBe(
      401,
    );
  });
});
