import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_SESSION_MS } from '../../../src/modules/auth/sessions.ts';
import { engines } from '../../helpers/engines.ts';
import {
  createIdentityApp,
  enableTotp,
  eventsOf,
  sessionCookieOf,
  signIn,
  totpCode,
  verifyTotp,
  type IdentityTestApp,
} from './helpers.ts';

describe.each(engines)('a second factor is required to finish signing in (%s)', (engine) => {
  let t: IdentityTestApp;
  let secret = '';
  const email = 'two-factor@example.com';

  beforeAll(async () => {
    t = await createIdentityApp(engine);
    ({ secret } = await enableTotp(t, await signIn(t, email)));
  });
  afterAll(async () => t?.close());

  it('an account without a second factor is fully signed in by email', async () => {
    const s = await signIn(t, 'email-only@example.com');
    const session = await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: s.cookie } });
    expect(session.json().pendingSecondFactor).toBeNull();
    expect((await t.app.inject({ url: '/api/v1/orgs', headers: { cookie: s.cookie } })).statusCode).toBe(200);
  });

  it('an email sign-in holds the session until the TOTP code, which rotates it', async () => {
    const s = await signIn(t, email);
    const session = await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: s.cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json().pendingSecondFactor).toEqual({ totp: true, passkey: false });
    // The held session lives 10 minutes at most; the verified one gets the normal absolute limit.
    const heldFor = Date.parse(session.json().session.expiresAt) - Date.now();
    expect(heldFor).toBeLessThanOrEqual(HELD_SESSION_MS);
    expect(heldFor).toBeGreaterThan(HELD_SESSION_MS - 60_000);

    // Everything but finishing sign-in (or signing out) is refused, and nothing is created.
    const orgs = await t.app.inject({ url: '/api/v1/orgs', headers: { cookie: s.cookie } });
    expect(orgs.statusCode).toBe(401);
    expect(orgs.json().error.code).toBe('second_factor_required');
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: s.headers,
      payload: { name: 'Should not exist' },
    });
    expect(create.statusCode).toBe(401);
    expect(
      await t.db.kysely.selectFrom('orgs').select('id').where('name', '=', 'Should not exist').execute(),
    ).toEqual([]);
    const setup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/setup',
      headers: s.headers,
      payload: {},
    });
    expect(setup.json().error.code).toBe('second_factor_required');
    expect(
      (await eventsOf(t, 'authz.denied')).some((e) => e.details?.includes('second_factor_pending')),
    ).toBe(true);

    const wrong = await verifyTotp(t, s, '000000' === totpCode(secret, 1) ? '111111' : '000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('mfa_failed');
    expect((await t.app.inject({ url: '/api/v1/orgs', headers: { cookie: s.cookie } })).statusCode).toBe(401);

    // A code is accepted once per time step: the one that enrolled is spent, so take the next step's.
    const verified = await verifyTotp(t, s, totpCode(secret, 1));
    expect(verified.statusCode).toBe(200);
    const cookie = sessionCookieOf(verified);
    expect(cookie).not.toBe(s.cookie);
    // The pending token is spent; the rotated one is a full session.
    expect(
      (await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: s.cookie } })).statusCode,
    ).toBe(401);
    const after = await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie } });
    expect(after.json().pendingSecondFactor).toBeNull();
    expect(Date.parse(after.json().session.expiresAt) - Date.now()).toBeGreaterThan(60 * 60_000);
    expect((await t.app.inject({ url: '/api/v1/orgs', headers: { cookie } })).statusCode).toBe(200);
  });

  it('a held session may still sign out', async () => {
    const s = await signIn(t, email);
    const signOut = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: s.headers,
      payload: {},
    });
    expect(signOut.statusCode).toBe(204);
    expect(
      (await t.app.inject({ url: '/api/v1/auth/session', headers: { cookie: s.cookie } })).statusCode,
    ).toBe(401);
  });

  it('a held session is released when the account no longer has a second factor', async () => {
    const held = await signIn(t, email);
    const user = await t.db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    await t.db.kysely.updateTable('users').set({ totp_enabled_at: null }).where('id', '=', user.id).execute();
    const orgs = await t.app.inject({ url: '/api/v1/orgs', headers: { cookie: held.cookie } });
    expect(orgs.statusCode).toBe(200);
    const row = await t.db.kysely
      .selectFrom('sessions')
      .select('second_factor_pending')
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(row.every((r) => !r.second_factor_pending)).toBe(true);
  });
});
