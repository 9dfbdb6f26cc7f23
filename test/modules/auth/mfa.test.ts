import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import {
  createIdentityApp,
  eventsOf,
  expireStepUp,
  rotated,
  setPlatformRole,
  signIn,
  totpCode,
  verifyTotp,
  type IdentityTestApp,
  type SignedIn,
} from './helpers.ts';

describe.each(engines)('TOTP, recovery codes and staff step-up (%s)', (engine) => {
  let t: IdentityTestApp;
  let s: SignedIn;
  let secret = '';
  let recovery: string[] = [];
  beforeAll(async () => {
    t = await createIdentityApp(engine);
    s = await signIn(t, 'staff@example.com');
  });
  afterAll(async () => t?.close());

  it('enrols TOTP: QR + secret, recovery codes once (argon2id), a rotated session, a notice mail', async () => {
    const setup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/setup',
      headers: s.headers,
      payload: {},
    });
    expect(setup.statusCode).toBe(200);
    secret = setup.json().secret;
    expect(setup.json().qrSvg).toContain('<svg');
    expect(setup.json().uri).toMatch(/^otpauth:\/\/totp\//);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/enable',
      headers: s.headers,
      payload: { code: '12345x' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('mfa_failed');
    expect(
      (
        await t.db.kysely
          .selectFrom('users')
          .select('totp_enabled_at')
          .where('id', '=', s.userId)
          .executeTakeFirstOrThrow()
      ).totp_enabled_at,
    ).toBeNull();
    const oldCookie = s.cookie;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/enable',
      headers: s.headers,
      payload: { code: totpCode(secret) },
    });
    expect(ok.statusCode).toBe(200);
    recovery = ok.json().recoveryCodes;
    expect(recovery).toHaveLength(10);
    s = rotated(s, ok);
    expect(s.cookie).not.toBe(oldCookie);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: oldCookie } }))
        .statusCode,
    ).toBe(401);
    const rows = await t.db.kysely
      .selectFrom('recovery_codes')
      .selectAll()
      .where('user_id', '=', s.userId)
      .execute();
    expect(rows.every((r) => r.code_hash.startsWith('$argon2id$'))).toBe(true);
    const user = await t.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', s.userId)
      .executeTakeFirstOrThrow();
    expect(user.totp_secret).not.toContain(secret);
    expect(t.mails.some((m) => m.to === 'staff@example.com' && /Security change/.test(m.subject))).toBe(true);
  });

  it('a staff role: no staff API without a recent step-up; TOTP step-up opens it; a replayed code fails', async () => {
    await setPlatformRole(t, s.userId);
    await expireStepUp(t, s.userId);
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/staff/access-review',
      headers: { cookie: s.cookie },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('mfa_required');
    const member = await signIn(t, 'plain@example.com');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/staff/access-review',
          headers: { cookie: member.cookie },
        })
      ).statusCode,
    ).toBe(404);

    const wrong = await verifyTotp(t, s, '000000' === totpCode(secret) ? '111111' : '000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('mfa_failed');
    expect((await eventsOf(t, 'mfa.failed')).length).toBeGreaterThanOrEqual(2);

    const code = totpCode(secret, 1);
    const ok = await verifyTotp(t, s, code);
    expect(ok.statusCode).toBe(200);
    s = rotated(s, ok);
    const review = await t.app.inject({
      method: 'GET',
      url: '/api/v1/staff/access-review',
      headers: { cookie: s.cookie },
    });
    expect(review.statusCode).toBe(200);
    expect(review.json().accounts).toEqual([
      expect.objectContaining({ email: 'staff@example.com', role: 'admin', mfa: true, idle: false }),
    ]);
    const replay = await verifyTotp(t, s, code);
    expect(replay.statusCode).toBe(401);
  });

  it('recovery codes work once', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/recovery/verify',
      headers: s.headers,
      payload: { code: recovery[0] },
    });
    expect(first.statusCode).toBe(200);
    s = rotated(s, first);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/recovery/verify',
      headers: s.headers,
      payload: { code: recovery[0] },
    });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('mfa_failed');
  });

  it('removing a factor needs a verification in the last 20 minutes', async () => {
    await t.db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date(Date.now() - 3600_000), mfa_at: new Date(Date.now() - 3600_000) })
      .where('user_id', '=', s.userId)
      .execute();
    const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/auth/mfa/totp', headers: s.headers });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('reauth_required');
    const user = await t.db.kysely
      .selectFrom('users')
      .select('totp_enabled_at')
      .where('id', '=', s.userId)
      .executeTakeFirstOrThrow();
    expect(user.totp_enabled_at).toBeInstanceOf(Date);
  });
});
