import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import {
  createIdentityApp,
  enableTotp,
  eventsOf,
  signIn,
  totpCode,
  type IdentityTestApp,
  type SignedIn,
} from './helpers.ts';

/**
 * A session held for its second factor belongs to whoever read the email, so its TOTP and recovery
 * code guesses get the sign-in code's backoff: per IP after 10 failures, per account after 100
 * (NIST 800-63B §5.2.2, ASVS 6.3.1). Once blocked, even the right code is refused.
 */
describe.each(engines)('second-factor guesses are throttled (%s)', (engine) => {
  let t: IdentityTestApp;

  beforeAll(async () => {
    t = await createIdentityApp(engine);
  });
  afterAll(async () => t?.close());

  const guess = (s: SignedIn, url: string, code: string, ip: string) =>
    t.app.inject({ method: 'POST', url, remoteAddress: ip, headers: s.headers, payload: { code } });
  const wrong = (secret: string) =>
    ['000000', '111111', '222222'].find((c) => [-1, 0, 1].every((o) => totpCode(secret, o) !== c)) ??
    '333333';
  const orgsStatus = async (s: SignedIn) =>
    (await t.app.inject({ url: '/api/v1/orgs', headers: { cookie: s.cookie } })).statusCode;

  it('an IP that keeps guessing TOTP codes is blocked, and the right code then fails too', async () => {
    const email = 'throttle-ip@example.com';
    const { secret } = await enableTotp(t, await signIn(t, email, '10.40.0.1'));
    const held = await signIn(t, email, '10.40.0.1');
    const ip = '10.40.0.2';
    for (let i = 0; i < 10; i++) {
      const r = await guess(held, '/api/v1/auth/mfa/totp/verify', wrong(secret), ip);
      expect(r.json().error.code).toBe('mfa_failed');
    }
    const right = await guess(held, '/api/v1/auth/mfa/totp/verify', totpCode(secret, 1), ip);
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('too_many_attempts');
    expect(await orgsStatus(held)).toBe(401);
    // Recovery codes share the block.
    const recovery = await guess(held, '/api/v1/auth/mfa/recovery/verify', 'aaaaaaaa-bbbbbbbb', ip);
    expect(recovery.json().error.code).toBe('too_many_attempts');
    expect((await eventsOf(t, 'request.blocked')).some((e) => e.details?.includes('mfa'))).toBe(true);
  });

  it('an account is blocked after 100 failures from many IPs; another account is not', async () => {
    const email = 'throttle-account@example.com';
    const { secret } = await enableTotp(t, await signIn(t, email, '10.41.0.1'));
    const held = await signIn(t, email, '10.41.0.1');
    for (let i = 0; i < 100; i++) {
      const r = await guess(held, '/api/v1/auth/mfa/totp/verify', wrong(secret), `10.42.${i >> 4}.${i + 1}`);
      expect(r.json().error.code).toBe('mfa_failed');
    }
    const right = await guess(held, '/api/v1/auth/mfa/totp/verify', totpCode(secret, 1), '10.43.0.1');
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('too_many_attempts');
    expect(await orgsStatus(held)).toBe(401);

    // The block is this account's: someone else finishes signing in from a fresh IP.
    const other = 'throttle-other@example.com';
    const enrolled = await enableTotp(t, await signIn(t, other, '10.44.0.1'));
    const otherHeld = await signIn(t, other, '10.44.0.1');
    const ok = await guess(
      otherHeld,
      '/api/v1/auth/mfa/totp/verify',
      totpCode(enrolled.secret, 1),
      '10.44.0.2',
    );
    expect(ok.statusCode).toBe(200);
  });
});
