import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import {
  createIdentityApp,
  enableTotp,
  eventsOf,
  setPlatformRole,
  signIn,
  type IdentityTestApp,
  type SignedIn,
} from './helpers.ts';

describe.each(engines)('staff API: grant, revoke, end sessions (%s)', (engine) => {
  let t: IdentityTestApp;
  let admin: SignedIn;
  let target: SignedIn;
  const targetEmail = 'target@example.com';
  beforeAll(async () => {
    t = await createIdentityApp(engine);
    admin = await signIn(t, 'root@example.com');
    await setPlatformRole(t, admin.userId);
    // Enrol TOTP through the API: that is the admin's step-up.
    admin = (await enableTotp(t, admin)).signedIn;
    target = await signIn(t, targetEmail, '10.0.0.9');
  });
  afterAll(async () => t?.close());

  const staff = (path: string, payload: object, who: SignedIn = admin) =>
    t.app.inject({ method: 'POST', url: `/api/v1/staff/${path}`, headers: who.headers, payload });
  const roleOf = async (id: string) =>
    (
      await t.db.kysely
        .selectFrom('users')
        .select('platform_role')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).platform_role;
  const alive = async (s: SignedIn) =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: s.cookie } }))
      .statusCode === 200;

  it('refuses bad input and non-admins with the exact code, changing nothing', async () => {
    const cases: [string, object, SignedIn, number, string][] = [
      ['grant', { email: targetEmail, role: 'root' }, admin, 400, 'validation_failed'],
      ['grant', { email: 'nobody@example.com', role: 'support' }, admin, 404, 'not_found'],
      ['grant', { email: 'not an email', role: 'support' }, admin, 400, 'invalid_email'],
      ['grant', { email: targetEmail, role: 'admin' }, target, 404, 'not_found'],
      ['end-sessions', { email: targetEmail }, target, 404, 'not_found'],
    ];
    for (const [path, body, who, status, code] of cases) {
      const res = await staff(path, body, who);
      expect([path, res.statusCode, res.json().error.code]).toEqual([path, status, code]);
    }
    expect(await roleOf(target.userId)).toBe('user');
    expect(await alive(target)).toBe(true);
  });

  it('needs a recent MFA step-up', async () => {
    const session = await t.db.kysely
      .selectFrom('sessions')
      .select(['id', 'mfa_at'])
      .where('user_id', '=', admin.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    await t.db.kysely.updateTable('sessions').set({ mfa_at: null }).where('id', '=', session.id).execute();
    const res = await staff('grant', { email: targetEmail, role: 'support' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('mfa_required');
    expect(await roleOf(target.userId)).toBe('user');
    await t.db.kysely
      .updateTable('sessions')
      .set({ mfa_at: session.mfa_at })
      .where('id', '=', session.id)
      .execute();
  });

  it('refuses a staff role before the account has a second factor', async () => {
    const res = await staff('grant', { email: targetEmail, role: 'support' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('mfa_enrollment_required');
    expect(await roleOf(target.userId)).toBe('user');
    const failure = (await eventsOf(t, 'role.granted')).at(-1)!;
    expect([failure.outcome, failure.actor_id]).toEqual(['failure', admin.userId]);
  });

  it('grants a staff role once a factor is enrolled, ending every session of the account', async () => {
    await t.db.kysely
      .insertInto('passkeys')
      .values({
        id: 'cred-1',
        user_id: target.userId,
        public_key: 'x',
        counter: 0,
        transports: '',
        name: 'Key',
      })
      .execute();
    const res = await staff('grant', { email: targetEmail, role: 'support' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: target.userId, role: 'support' });
    expect(await roleOf(target.userId)).toBe('support');
    expect(await alive(target)).toBe(false);
    const granted = (await eventsOf(t, 'role.granted')).at(-1)!;
    expect([granted.outcome, granted.user_id, granted.actor_id]).toEqual([
      'success',
      target.userId,
      admin.userId,
    ]);
    expect(granted.details).toContain('"via":"api"');
  });

  it('revokes the role and ends the sessions again', async () => {
    target = await signIn(t, targetEmail, '10.0.0.9');
    const res = await staff('revoke', { email: targetEmail });
    expect(res.statusCode).toBe(200);
    expect(await roleOf(target.userId)).toBe('user');
    expect(await alive(target)).toBe(false);
    const revoked = (await eventsOf(t, 'role.revoked')).at(-1)!;
    expect([revoked.user_id, revoked.actor_id]).toEqual([target.userId, admin.userId]);
  });

  it("ends another user's sessions; the account stays enabled", async () => {
    target = await signIn(t, targetEmail, '10.0.0.9');
    const second = await signIn(t, targetEmail, '10.0.0.10');
    const res = await staff('end-sessions', { email: targetEmail });
    expect(res.statusCode).toBe(200);
    expect(res.json().sessions).toBe(2);
    expect(await alive(target)).toBe(false);
    expect(await alive(second)).toBe(false);
    expect(await alive(admin)).toBe(true);
    const event = (await eventsOf(t, 'session.revoked')).at(-1)!;
    expect([event.user_id, event.actor_id]).toEqual([target.userId, admin.userId]);
    expect(await signIn(t, targetEmail, '10.0.0.9')).toHaveProperty('userId', target.userId);
  });
});
