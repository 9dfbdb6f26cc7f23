import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import {
  ORIGIN,
  codeOf,
  createIdentityApp,
  enterCode,
  eventsOf,
  linkTokenOf,
  mailTo,
  requestCode,
  setCookies,
  signIn,
  type IdentityTestApp,
} from './helpers.ts';

describe.each(engines)('email sign-in (%s)', (engine) => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await createIdentityApp(engine);
  });
  afterAll(async () => t?.close());

  const count = async (table: 'users' | 'sessions') =>
    Number(
      (
        await t.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('code sign-in creates the account once, records terms acceptance, sets a __Host- cookie and notifies', async () => {
    const { response, nonce } = await requestCode(t.app, 'Alice@Example.com');
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      status: 'sent',
      message: 'If this address can receive mail, a code and a link are on their way.',
    });
    const nonceCookie = response.cookies.find((c) => c.name === '__Host-vio_signin')!;
    expect(nonceCookie).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
    const mail = await mailTo(t.mails, 'alice@example.com', /sign-in code/);
    const code = codeOf(mail);
    const row = await t.db.kysely
      .selectFrom('sign_in_attempts')
      .selectAll()
      .where('email', '=', 'alice@example.com')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(code);
    expect(JSON.stringify(row)).not.toContain(linkTokenOf(mail));

    const done = await enterCode(t.app, nonce, code);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      user: { email: 'alice@example.com', platformRole: 'user' },
      created: true,
    });
    const sessionCookie = done.cookies.find((c) => c.name === '__Host-vio_session')!;
    expect(sessionCookie).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
    expect(sessionCookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(done.headers['cache-control']).toBe('no-store');
    const user = await t.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'alice@example.com')
      .executeTakeFirstOrThrow();
    expect(user.terms_version).toBe('2025-08-14');
    expect(user.terms_accepted_at).toBeInstanceOf(Date);
    const session = await t.db.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(session.token_hash).not.toBe(sessionCookie.value);
    await mailTo(t.mails, 'alice@example.com', /New sign-in/);
    expect((await eventsOf(t, 'auth.sign_in.succeeded')).at(-1)).toMatchObject({
      user_id: user.id,
      outcome: 'success',
    });
    expect((await eventsOf(t, 'account.created')).length).toBe(1);

    // A second sign-in reuses the account.
    const again = await signIn(t, 'alice@example.com');
    expect(again.userId).toBe(user.id);
    expect(await count('users')).toBe(1);
  });

  it('GET on the link only shows a confirm page; the POST from the requesting browser signs in', async () => {
    const { nonce } = await requestCode(t.app, 'bob@example.com');
    const token = linkTokenOf(await mailTo(t.mails, 'bob@example.com', /sign-in code/));
    const sessionsBefore = await count('sessions');
    const page = await t.app.inject({ method: 'GET', url: `/auth/confirm?t=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('method="post"');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // The page's own policy: the token never in a Referer, yet the form's POST keeps its Origin.
    expect(page.body).toContain('<meta name="referrer" content="strict-origin">');
    expect(page.body).not.toMatch(/<(img|script|link)\b/);
    expect(await count('sessions')).toBe(sessionsBefore);

    const post = await t.app.inject({
      method: 'POST',
      url: '/auth/confirm',
      headers: {
        ...ORIGIN,
        cookie: `__Host-vio_signin=${nonce}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `t=${token}`,
    });
    expect(post.statusCode).toBe(303);
    // A new account goes on to the welcome step (the optional product-email consent).
    expect(post.headers.location).toBe('/welcome');
    expect(setCookies(post)['__Host-vio_session']).toBeTruthy();
    expect(await count('sessions')).toBe(sessionsBefore + 1);

    // Single use: replaying the consumed link is refused and creates nothing.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/auth/confirm',
      headers: { ...ORIGIN, cookie: `__Host-vio_signin=${nonce}` },
      payload: { t: token },
    });
    expect(replay.statusCode).toBe(410);
    expect(replay.json().error.code).toBe('sign_in_expired');
    expect(await count('sessions')).toBe(sessionsBefore + 1);
  });

  it('a link sign-in sends a new account to /welcome and an existing one to /', async () => {
    const byLink = async (email: string) => {
      const before = t.mails.length;
      const { nonce } = await requestCode(t.app, email);
      const token = linkTokenOf(await mailTo(t.mails, email, /sign-in code/, before));
      return t.app.inject({
        method: 'POST',
        url: '/auth/confirm',
        headers: {
          ...ORIGIN,
          cookie: `__Host-vio_signin=${nonce}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: `t=${token}`,
      });
    };
    const first = await byLink('carol@example.com');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/welcome');
    expect(setCookies(first)['__Host-vio_session']).toBeTruthy();
    const again = await byLink('carol@example.com');
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/');
    expect(setCookies(again)['__Host-vio_session']).toBeTruthy();
    // An account created by code earlier signs in by link to / as well.
    await signIn(t, 'dave@example.com');
    expect((await byLink('dave@example.com')).headers.location).toBe('/');
  });

  it('the same response for known and unknown addresses', async () => {
    const known = await requestCode(t.app, 'alice@example.com', '10.0.1.1');
    const unknown = await requestCode(t.app, 'nobody-here@example.com', '10.0.1.2');
    expect(unknown.response.statusCode).toBe(known.response.statusCode);
    expect(unknown.response.body).toBe(known.response.body);
  });
});
