import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import {
  BASE_URL,
  createIdentityApp,
  eventsOf,
  expireStepUp,
  mailTo,
  rotated,
  setPlatformRole,
  signIn,
  type IdentityTestApp,
  type SignedIn,
} from '../auth/helpers.ts';
import { SoftAuthenticator, strangerKey } from './authenticator.ts';

describe.each(engines)('passkeys: registration, step-up, replay and forgery (%s)', (engine) => {
  let t: IdentityTestApp;
  let s: SignedIn;
  const key = new SoftAuthenticator();
  const email = 'passkey@example.com';
  beforeAll(async () => {
    t = await createIdentityApp(engine);
    s = await signIn(t, email);
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: unknown = {}) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, payload: payload as object });
  const passkeys = () =>
    t.db.kysely.selectFrom('passkeys').selectAll().where('user_id', '=', s.userId).execute();
  const currentSession = () =>
    t.db.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', s.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
  const makeStale = () =>
    t.db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date(Date.now() - 30 * 60_000), mfa_at: null })
      .where('user_id', '=', s.userId)
      .execute();
  const makeFresh = () =>
    t.db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date() })
      .where('user_id', '=', s.userId)
      .execute();

  it('needs a verification in the last 20 minutes to start adding a passkey', async () => {
    await makeStale();
    const res = await post('/api/v1/auth/mfa/passkeys/register/options');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('reauth_required');
    const denied = await eventsOf(t, 'authz.denied');
    expect(denied.some((e) => e.user_id === s.userId && e.details?.includes('reauth_required'))).toBe(true);
    expect(await passkeys()).toHaveLength(0);
    await makeFresh();
  });

  it('refuses a registration made for another origin, and stores nothing', async () => {
    const options = (await post('/api/v1/auth/mfa/passkeys/register/options')).json();
    const evil = new SoftAuthenticator();
    const res = await post('/api/v1/auth/mfa/passkeys/register', {
      response: evil.register(options, 'https://evil.example'),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('mfa_failed');
    expect(await passkeys()).toHaveLength(0);
    const failed = await eventsOf(t, 'mfa.failed');
    expect(failed.at(-1)?.details).toContain('registration_refused');
  });

  it('registers a passkey from a real none-attestation, rotates the session and mails a notice', async () => {
    const before = t.mails.length;
    const options = (await post('/api/v1/auth/mfa/passkeys/register/options')).json();
    expect(options.rp.id).toBe(new URL(BASE_URL).hostname);
    expect(options.attestation).toBe('none');
    const oldCookie = s.cookie;
    const res = await post('/api/v1/auth/mfa/passkeys/register', {
      name: 'Laptop',
      response: key.register(options, BASE_URL),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().passkey).toMatchObject({ id: key.id, name: 'Laptop' });
    s = rotated(s, res);
    expect(s.cookie).not.toBe(oldCookie);
    const rows = await passkeys();
    expect(rows.map((r) => r.id)).toEqual([key.id]);
    expect(Number(rows[0]!.counter)).toBe(0);
    const mail = await mailTo(t.mails, email, /Security change/, before);
    expect(mail.text).toContain('passkey');
    const enrolled = await eventsOf(t, 'mfa.enrolled');
    expect(enrolled.at(-1)?.details).toContain('passkey');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/mfa/passkeys', headers: s.headers });
    expect(list.json().passkeys).toHaveLength(1);
    // The registration challenge was single use: the same response again is refused.
    const again = await post('/api/v1/auth/mfa/passkeys/register', {
      response: key.register(options, BASE_URL),
    });
    expect(again.statusCode).toBe(401);
  });

  it('steps up with a passkey assertion: staff routes open, counter advances', async () => {
    await setPlatformRole(t, s.userId);
    await expireStepUp(t, s.userId);
    const staff = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/staff/access-review', headers: s.headers });
    expect((await staff()).json().error.code).toBe('mfa_required');
    const options = (await post('/api/v1/auth/mfa/passkeys/verify/options')).json();
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([key.id]);
    const assertion = key.assert(options, BASE_URL);
    const res = await post('/api/v1/auth/mfa/passkeys/verify', { response: assertion });
    expect(res.statusCode).toBe(200);
    s = rotated(s, res);
    expect((await staff()).statusCode).toBe(200);
    expect((await currentSession()).mfa_at).not.toBeNull();
    expect(Number((await passkeys())[0]!.counter)).toBe(1);

    // Replayed: the same assertion, with and without a fresh challenge pending.
    const failuresBefore = (await eventsOf(t, 'mfa.failed')).length;
    const replay = await post('/api/v1/auth/mfa/passkeys/verify', { response: assertion });
    expect(replay.statusCode).toBe(401);
    await post('/api/v1/auth/mfa/passkeys/verify/options');
    const replay2 = await post('/api/v1/auth/mfa/passkeys/verify', { response: assertion });
    expect(replay2.statusCode).toBe(401);
    expect(replay2.json().error.code).toBe('mfa_failed');
    expect((await eventsOf(t, 'mfa.failed')).length).toBe(failuresBefore + 2);
    expect(Number((await passkeys())[0]!.counter)).toBe(1);
  });

  it('refuses a forged assertion and one made for another origin, changing nothing', async () => {
    const session = await currentSession();
    for (const make of [
      (o: { challenge: string; rpId?: string }) => key.assert(o, BASE_URL, strangerKey()),
      (o: { challenge: string; rpId?: string }) => key.assert(o, 'https://evil.example'),
    ]) {
      const options = (await post('/api/v1/auth/mfa/passkeys/verify/options')).json();
      const res = await post('/api/v1/auth/mfa/passkeys/verify', { response: make(options) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('mfa_failed');
      expect(JSON.parse((await eventsOf(t, 'mfa.failed')).at(-1)!.details!)).toMatchObject({
        factor: 'passkey',
        reason: 'assertion_refused',
      });
    }
    const after = await currentSession();
    expect(after.id).toBe(session.id);
    expect(after.mfa_at?.getTime()).toBe(session.mfa_at?.getTime());
    expect(Number((await passkeys())[0]!.counter)).toBe(1);
  });

  it('removes a passkey only after a recent verification, with a notice and an event', async () => {
    const url = `/api/v1/auth/mfa/passkeys/${key.id}`;
    await makeStale();
    const stale = await t.app.inject({ method: 'DELETE', url, headers: s.headers });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('reauth_required');
    expect(await passkeys()).toHaveLength(1);
    await makeFresh();
    const unknown = await t.app.inject({ method: 'DELETE', url: `${url}x`, headers: s.headers });
    expect(unknown.statusCode).toBe(404);
    const before = t.mails.length;
    const res = await t.app.inject({ method: 'DELETE', url, headers: s.headers });
    expect(res.statusCode).toBe(204);
    expect(await passkeys()).toHaveLength(0);
    expect((await mailTo(t.mails, email, /Security change/, before)).text).toContain('passkey was removed');
    expect((await eventsOf(t, 'mfa.removed')).at(-1)?.details).toContain('passkey');
  });
});
