import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import { ORIGIN, createIdentityApp, eventsOf, signIn, type IdentityTestApp } from './helpers.ts';

describe.each(engines)('sessions and CSRF (%s)', (engine) => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await createIdentityApp(engine, { MAX_SESSIONS_PER_USER: '3' });
  });
  afterAll(async () => t?.close());

  const me = (cookie: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });

  it('a session works, lists itself, and is dead server-side after sign-out', async () => {
    const s = await signIn(t, 'carol@example.com');
    const res = await me(s.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { email: 'carol@example.com' },
      session: { current: true },
      csrfToken: s.csrf,
    });
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: s.headers,
      payload: {},
    });
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toContain('"cookies"');
    const after = await me(s.cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
    expect((await eventsOf(t, 'session.rejected')).at(-1)).toMatchObject({
      details: JSON.stringify({ reason: 'revoked' }),
    });
  });

  it('forged and tampered cookies get 401 and an event', async () => {
    const s = await signIn(t, 'dave@example.com');
    const tampered = s.cookie.slice(0, -2) + (s.cookie.endsWith('AA') ? 'BB' : 'AA');
    for (const cookie of [tampered, '__Host-vio_session=forged', '__Host-vio_session=' + 'x'.repeat(43)]) {
      const before = (await eventsOf(t, 'session.rejected')).length;
      const res = await me(cookie);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
      expect((await eventsOf(t, 'session.rejected')).length).toBe(before + 1);
    }
    expect((await me(s.cookie)).statusCode).toBe(200);
  });

  it('idle and absolute timeouts end a session', async () => {
    const idle = await signIn(t, 'erin@example.com');
    const absolute = await signIn(t, 'frank@example.com');
    await t.db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('user_id', '=', idle.userId)
      .execute();
    await t.db.kysely
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', absolute.userId)
      .execute();
    expect((await me(idle.cookie)).statusCode).toBe(401);
    expect((await me(absolute.cookie)).statusCode).toBe(401);
  });

  it('signing in beyond MAX_SESSIONS_PER_USER ends the oldest session', async () => {
    const first = await signIn(t, 'gina@example.com');
    await t.db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 10 * 60_000) })
      .where('user_id', '=', first.userId)
      .execute();
    const others = [
      await signIn(t, 'gina@example.com'),
      await signIn(t, 'gina@example.com'),
      await signIn(t, 'gina@example.com'),
    ];
    expect((await me(first.cookie)).statusCode).toBe(401);
    for (const s of others) expect((await me(s.cookie)).statusCode).toBe(200);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      headers: { cookie: others[0]!.cookie },
    });
    expect(list.json().sessions).toHaveLength(3);
  });

  it('a user revokes one of their sessions, or all others; not someone else’s', async () => {
    const a = await signIn(t, 'hal@example.com');
    const b = await signIn(t, 'hal@example.com');
    const stranger = await signIn(t, 'ivy@example.com');
    const ids = (
      await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: a.cookie } })
    ).json().sessions as { id: string; current: boolean }[];
    const bId = ids.find((s) => !s.current)!.id;
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${bId}`,
      headers: stranger.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await me(b.cookie)).statusCode).toBe(200);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${bId}`,
      headers: a.headers,
    });
    expect(del.statusCode).toBe(204);
    expect((await me(b.cookie)).statusCode).toBe(401);
    const c = await signIn(t, 'hal@example.com');
    const others = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-others',
      headers: c.headers,
      payload: {},
    });
    expect(others.json()).toEqual({ revoked: 1 });
    expect((await me(a.cookie)).statusCode).toBe(401);
    expect((await me(c.cookie)).statusCode).toBe(200);
  });

  it.each([
    ['no CSRF token', (s: { cookie: string }) => ({ ...ORIGIN, cookie: s.cookie }), 'token'],
    [
      'a wrong CSRF token',
      (s: { cookie: string }) => ({ ...ORIGIN, cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) }),
      'token',
    ],
    [
      'a cross-site Sec-Fetch-Site',
      (s: { cookie: string; csrf: string }) => ({
        cookie: s.cookie,
        'x-csrf-token': s.csrf,
        'sec-fetch-site': 'cross-site',
      }),
      'fetch_site',
    ],
    [
      'a foreign Origin',
      (s: { cookie: string; csrf: string }) => ({
        cookie: s.cookie,
        'x-csrf-token': s.csrf,
        origin: 'https://evil.example',
      }),
      'origin',
    ],
  ])(
    'a state change with %s is refused (403 csrf_failed), event recorded, session intact',
    async (_name, headers, reason) => {
      const s = await signIn(t, 'jack@example.com');
      const before = (await eventsOf(t, 'csrf.blocked')).length;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: headers(s),
        payload: {},
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('csrf_failed');
      const events = await eventsOf(t, 'csrf.blocked');
      expect(events.length).toBe(before + 1);
      expect(JSON.parse(events.at(-1)!.details!).reason).toBe(reason);
      expect((await me(s.cookie)).statusCode).toBe(200);
    },
  );
});
