import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieList, SIGN_IN_COOKIE_MAX_AGE_S } from '../../../src/modules/privacy/cookies.ts';
import { engines } from '../../helpers/engines.ts';
import {
  codeOf,
  createIdentityApp,
  linkTokenOf,
  mailTo,
  ORIGIN,
  type IdentityTestApp,
} from '../auth/helpers.ts';

interface SentCookie {
  name: string;
  value: string;
  maxAge?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  path?: string;
}
const sent = (response: LightMyRequestResponse) => response.cookies as SentCookie[];

describe.each(engines)('cookie list on %s', (engine) => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await createIdentityApp(engine);
  });
  afterAll(async () => t.close());

  it('names exactly the cookies sent while signing in by code and by link, and signing out', async () => {
    const seen: SentCookie[] = [];
    const email = 'cookies@example.com';
    for (const how of ['code', 'link'] as const) {
      const before = t.mails.length;
      const asked = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        headers: ORIGIN,
        payload: { email, acceptTerms: true },
      });
      seen.push(...sent(asked));
      const nonce = sent(asked).find((c) => c.name === '__Host-vio_signin')?.value;
      const mail = await mailTo(t.mails, email, /sign-in code/, before);
      const done = await t.app.inject({
        method: 'POST',
        url: how === 'code' ? '/api/v1/auth/sign-in/code' : '/auth/confirm',
        headers: { ...ORIGIN, cookie: `__Host-vio_signin=${nonce}` },
        payload: how === 'code' ? { code: codeOf(mail) } : { t: linkTokenOf(mail) },
      });
      expect(done.statusCode).toBe(200);
      seen.push(...sent(done));
      const session = sent(done).find((c) => c.name === '__Host-vio_session')!;
      const csrf = done.json<{ csrfToken: string }>().csrfToken;
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: { ...ORIGIN, cookie: `__Host-vio_session=${session.value}`, 'x-csrf-token': csrf },
        payload: {},
      });
      expect(out.statusCode).toBeLessThan(300);
      seen.push(...sent(out));
    }
    const names = [...new Set(seen.map((c) => c.name))].sort();
    expect(names).toEqual(cookieList.map((c) => c.name).sort());
    for (const cookie of seen) {
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      expect(cookie.name.startsWith('__Host-')).toBe(true);
    }
    const signInCookie = seen.find((c) => c.name === '__Host-vio_signin' && c.value !== '');
    expect(signInCookie?.maxAge).toBe(SIGN_IN_COOKIE_MAX_AGE_S);
  });

  it('shows the same list, with lifetimes from the configuration, in the security-page API', async () => {
    const page = await t.app.inject({ url: '/api/v1/security-page' });
    const cookies = page.json<{ cookies: { name: string; lifetime: string; essential: boolean }[] }>()
      .cookies;
    expect(cookies.map((c) => c.name)).toEqual(cookieList.map((c) => c.name));
    expect(cookies.every((c) => c.essential)).toBe(true);
    expect(cookies[0]!.lifetime).toMatch(/after \d+ minutes idle or \d+ hours in total/);
  });
});
