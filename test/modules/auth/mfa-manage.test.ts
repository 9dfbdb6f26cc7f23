import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import {
  createIdentityApp,
  enableTotp,
  eventsOf,
  mailTo,
  rotated,
  signIn,
  ORIGIN,
  type IdentityTestApp,
  type SignedIn,
} from './helpers.ts';

describe.each(engines)('regenerating recovery codes and renaming passkeys (%s)', (engine) => {
  let t: IdentityTestApp;
  let s: SignedIn;
  let recovery: string[] = [];
  const email = 'manage@example.com';
  beforeAll(async () => {
    t = await createIdentityApp(engine);
    s = await signIn(t, email);
  });
  afterAll(async () => t?.close());

  const regenerate = (headers: Record<string, string> = s.headers) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/recovery/regenerate', headers, payload: {} });
  const useCode = (code: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/recovery/verify',
      headers: s.headers,
      payload: { code },
    });
  const hashes = async (userId = s.userId) =>
    (
      await t.db.kysely
        .selectFrom('recovery_codes')
        .select('code_hash')
        .where('user_id', '=', userId)
        .orderBy('code_hash')
        .execute()
    ).map((r) => r.code_hash);
  const setAuthAt = (userId: string, at: Date, mfaAt: Date | null) =>
    t.db.kysely
      .updateTable('sessions')
      .set({ auth_at: at, mfa_at: mfaAt })
      .where('user_id', '=', userId)
      .execute();

  it('without TOTP: 409 conflict and no codes made', async () => {
    const res = await regenerate();
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    expect(await hashes()).toEqual([]);
  });

  it('replaces every code: old ones stop working, new ones work once; event and notice mail', async () => {
    const enrolled = await enableTotp(t, s);
    s = enrolled.signedIn;
    recovery = enrolled.recoveryCodes;
    const before = t.mails.length;
    const res = await regenerate();
    expect(res.statusCode).toBe(200);
    const fresh: string[] = res.json().recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(new Set(fresh).size).toBe(10);
    expect(fresh.some((c) => recovery.includes(c))).toBe(false);
    const stored = await hashes();
    expect(stored).toHaveLength(10);
    expect(stored.every((h) => h.startsWith('$argon2id$'))).toBe(true);
    const events = await eventsOf(t, 'mfa.recovery_regenerated');
    expect(events.some((e) => e.user_id === s.userId && e.outcome === 'success')).toBe(true);
    const mail = await mailTo(t.mails, email, /Security change/, before);
    expect(mail.text).toMatch(/recovery codes/i);

    const old = await useCode(recovery[0]!);
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('mfa_failed');
    const ok = await useCode(fresh[0]!);
    expect(ok.statusCode).toBe(200);
    s = rotated(s, ok);
    const again = await useCode(fresh[0]!);
    expect(again.statusCode).toBe(401);
    recovery = fresh;
  });

  it('a stale session: reauth_required and the codes stay as they were', async () => {
    const stored = await hashes();
    await setAuthAt(s.userId, new Date(Date.now() - 30 * 60_000), null);
    const res = await regenerate();
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('reauth_required');
    expect(await hashes()).toEqual(stored);
    await setAuthAt(s.userId, new Date(), new Date());
    // The codes still answer as before.
    const ok = await useCode(recovery[1]!);
    expect(ok.statusCode).toBe(200);
    s = rotated(s, ok);
  });

  it('needs the CSRF token', async () => {
    const stored = await hashes();
    const res = await regenerate({ ...ORIGIN, cookie: s.cookie });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
    expect(await hashes()).toEqual(stored);
  });

  describe('renaming a passkey', () => {
    let other: SignedIn;
    const addKey = (id: string, userId: string, name: string) =>
      t.db.kysely
        .insertInto('passkeys')
        .values({ id, user_id: userId, public_key: 'x', counter: 0, transports: '', name })
        .execute();
    const nameOf = async (id: string) =>
      (await t.db.kysely.selectFrom('passkeys').select('name').where('id', '=', id).executeTakeFirstOrThrow())
        .name;
    const rename = (id: string, name: unknown, headers: Record<string, string> = s.headers) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/auth/mfa/passkeys/${encodeURIComponent(id)}`,
        headers,
        payload: { name } as object,
      });

    beforeAll(async () => {
      other = await signIn(t, 'someone-else@example.com');
      await addKey('mine-1', s.userId, 'Laptop');
      await addKey('theirs-1', other.userId, 'Their key');
    });

    it('renames your own passkey (trimmed), listed with the new name; a security event', async () => {
      const res = await rename('mine-1', '  Work YubiKey  ');
      expect(res.statusCode).toBe(204);
      expect(await nameOf('mine-1')).toBe('Work YubiKey');
      const list = await t.app.inject({ url: '/api/v1/auth/mfa/passkeys', headers: { cookie: s.cookie } });
      expect(list.json().passkeys).toEqual([expect.objectContaining({ id: 'mine-1', name: 'Work YubiKey' })]);
      const events = await eventsOf(t, 'mfa.renamed');
      expect(events.some((e) => e.user_id === s.userId && e.details?.includes('mine-1'))).toBe(true);
    });

    it('another account’s passkey or an unknown id: 404 and nothing changed', async () => {
      const theirs = await rename('theirs-1', 'Mine now');
      expect(theirs.statusCode).toBe(404);
      expect(theirs.json().error.code).toBe('not_found');
      expect(await nameOf('theirs-1')).toBe('Their key');
      expect((await rename('no-such-key', 'X')).statusCode).toBe(404);
    });

    it('refuses empty, blank, too long or missing names, and without CSRF', async () => {
      for (const name of ['', '   ', 'x'.repeat(65), ` ${'y'.repeat(65)} `, null, undefined]) {
        const res = await rename('mine-1', name);
        expect(res.statusCode, JSON.stringify(name)).toBe(400);
      }
      const exactly64 = await rename('mine-1', ` ${'z'.repeat(64)} `);
      expect(exactly64.statusCode).toBe(204);
      expect(await nameOf('mine-1')).toBe('z'.repeat(64));
      const noCsrf = await rename('mine-1', 'Sneaky', { ...ORIGIN, cookie: s.cookie });
      expect(noCsrf.statusCode).toBe(403);
      expect(await nameOf('mine-1')).toBe('z'.repeat(64));
    });
  });
});
