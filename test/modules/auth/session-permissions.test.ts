import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformRoleMatrix } from '../../../src/modules/auth/permissions.ts';
import type { PlatformRole } from '../../../src/db/types-identity.ts';
import { engines } from '../../helpers/engines.ts';
import {
  codeOf,
  createIdentityApp,
  enterCode,
  mailTo,
  requestCode,
  setPlatformRole,
  signIn,
  type IdentityTestApp,
  type SignedIn,
} from './helpers.ts';

/** The session tells the web app which staff screens to offer: the platform role's permissions. */
describe.each(engines)('session permissions (%s)', (engine) => {
  let t: IdentityTestApp;
  let user: SignedIn;
  beforeAll(async () => {
    t = await createIdentityApp(engine);
    user = await signIn(t, 'someone@example.com');
  });
  afterAll(async () => t?.close());

  const session = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: user.cookie },
    });
    expect(res.statusCode).toBe(200);
    return res.json<{ user: { platformRole: string; permissions: string[] } }>().user;
  };
  const setRole = (role: PlatformRole) => setPlatformRole(t, user.userId, role);

  it('a user has no staff permission; each staff role gets exactly its row of the matrix', async () => {
    expect(await session()).toMatchObject({ platformRole: 'user', permissions: [] });
    for (const role of ['support', 'security', 'admin'] as const) {
      await setRole(role);
      const got = await session();
      expect([got.platformRole, got.permissions]).toEqual([role, [...platformRoleMatrix[role]]]);
    }
    expect((await session()).permissions).toEqual([
      'staff:read',
      'staff:support',
      'staff:security',
      'staff:access',
    ]);
    await setRole('user');
    expect((await session()).permissions).toEqual([]);
  });

  it('the sign-in answer carries them too', async () => {
    await setRole('support');
    const before = t.mails.length;
    const { nonce } = await requestCode(t.app, 'someone@example.com');
    const mail = await mailTo(t.mails, 'someone@example.com', /sign-in code/, before);
    const res = await enterCode(t.app, nonce, codeOf(mail));
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({
      platformRole: 'support',
      permissions: ['staff:read', 'staff:support'],
    });
    await setRole('user');
  });
});
