import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import {
  codeOf,
  createIdentityApp,
  eventsOf,
  mailTo,
  rotated,
  signIn,
  type IdentityTestApp,
  type SignedIn,
} from './helpers.ts';

describe.each(engines)('email change (%s)', (engine) => {
  let t: IdentityTestApp;
  let s: SignedIn;
  let other: SignedIn;
  const oldEmail = 'mover@example.com';
  const newEmail = 'moved@example.org';
  beforeAll(async () => {
    t = await createIdentityApp(engine);
    s = await signIn(t, oldEmail);
    other = await signIn(t, 'taken@example.com', '10.0.0.2');
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: object, headers = s.headers) =>
    t.app.inject({ method: 'POST', url, headers, payload });
  const change = (email: string) => post('/api/v1/auth/email/change', { email });
  const confirm = (code: string) => post('/api/v1/auth/email/confirm', { code });
  const emailOf = async (id: string) =>
    (await t.db.kysely.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow())
      .email;
  const pending = () => t.db.kysely.selectFrom('email_changes').selectAll().execute();

  it.each([
    ['malformed', 'not an email', 400, 'invalid_email'],
    ['overlong', `${'a'.repeat(250)}@example.com`, 400, 'invalid_email'],
    ['already used by another account', 'TAKEN@example.com', 409, 'email_in_use'],
    ['the current address', oldEmail, 409, 'conflict'],
  ])('refuses a %s address, changing nothing', async (_name, email, status, code) => {
    const mails = t.mails.length;
    const failures = (await eventsOf(t, 'email.change_failed')).length;
    const res = await change(email);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await emailOf(s.userId)).toBe(oldEmail);
    expect(await pending()).toHaveLength(0);
    expect((await eventsOf(t, 'email.change_failed')).length).toBe(failures + 1);
    expect(t.mails.slice(mails).some((m) => m.to === email.toLowerCase())).toBe(false);
  });

  it('needs a verification in the last 20 minutes', async () => {
    await t.db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date(Date.now() - 30 * 60_000) })
      .where('user_id', '=', s.userId)
      .execute();
    const res = await change(newEmail);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('reauth_required');
    expect(await pending()).toHaveLength(0);
    await t.db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date() })
      .where('user_id', '=', s.userId)
      .execute();
  });

  it('refuses a confirmation with nothing pending', async () => {
    const res = await confirm('123456');
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('email_change_expired');
  });

  it('mails a code to the new address; a wrong code changes nothing; the right one moves the account', async () => {
    const before = t.mails.length;
    const res = await change(newEmail);
    expect(res.statusCode).toBe(202);
    const mail = await mailTo(t.mails, newEmail, /Confirm your new/, before);
    const code = codeOf(mail);
    const rows = await pending();
    expect(rows).toHaveLength(1);
    // Neither the address nor the code is stored in the clear.
    expect(JSON.stringify(rows)).not.toContain(newEmail);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect((await eventsOf(t, 'email.change_requested')).at(-1)?.subject).toMatch(/^[0-9a-f]{32}$/);

    const wrong = await confirm(code === '000000' ? '111111' : '000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('email_change_failed');
    const malformed = await confirm('12345x');
    expect(malformed.statusCode).toBe(401);
    expect(await emailOf(s.userId)).toBe(oldEmail);
    expect((await pending())[0]!.tries).toBe(2);

    const oldCookie = s.cookie;
    const ok = await confirm(code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.email).toBe(newEmail);
    expect(await emailOf(s.userId)).toBe(newEmail);
    expect(await pending()).toHaveLength(0);
    s = rotated(s, ok);
    const { cookie } = s;
    expect(cookie).not.toBe(oldCookie);
    const stale = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: oldCookie },
    });
    expect(stale.statusCode).toBe(401);
    const fresh = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(fresh.json().user.email).toBe(newEmail);

    const notice = await mailTo(t.mails, oldEmail, /email address was changed/, before);
    expect(notice.text).toContain('m***@example.org');
    const changed = (await eventsOf(t, 'email.changed')).at(-1)!;
    expect(changed.user_id).toBe(s.userId);
    expect(changed.details).not.toContain(oldEmail);

    // The code was single use.
    const reused = await confirm(code);
    expect(reused.statusCode).toBe(410);
    expect(await emailOf(s.userId)).toBe(newEmail);
  });

  it('voids a pending change after 5 wrong codes', async () => {
    const before = t.mails.length;
    expect((await change('third@example.net')).statusCode).toBe(202);
    const code = codeOf(await mailTo(t.mails, 'third@example.net', /Confirm your new/, before));
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) expect((await confirm(wrong)).statusCode).toBe(401);
    const res = await confirm(code);
    expect(res.statusCode).toBe(410);
    expect(await emailOf(s.userId)).toBe(newEmail);
    expect(await emailOf(other.userId)).toBe('taken@example.com');
  });
});
