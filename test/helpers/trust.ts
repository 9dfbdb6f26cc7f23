import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../../src/config/load.ts';
import type { Database } from '../../src/db/kysely.ts';
import type { PlatformRole } from '../../src/db/types.ts';
import { createSession, csrfTokenFor, SESSION_COOKIE } from '../../src/modules/auth/sessions.ts';

export interface BuiltUser {
  id: string;
  email: string;
}

/** A user row; the email is unique per call unless given. */
export async function buildUser(
  db: Database,
  overrides: { email?: string; role?: PlatformRole } = {},
): Promise<BuiltUser> {
  const id = randomUUID();
  const email = overrides.email ?? `user-${id.slice(0, 8)}@example.test`;
  await db.kysely
    .insertInto('users')
    .values({
      id,
      email,
      platform_role: overrides.role ?? 'user',
      terms_version: '2025-08',
      terms_accepted_at: new Date(),
      privacy_version: '2025-08',
      privacy_accepted_at: new Date(),
    })
    .execute();
  return { id, email };
}

/** Headers of a signed-in browser request (session cookie, CSRF token, same-origin fetch metadata). */
export async function sessionHeaders(
  db: Database,
  config: ResolvedConfig,
  user: BuiltUser,
  options: { role?: PlatformRole; mfa?: boolean; authAt?: Date; ip?: string } = {},
): Promise<Record<string, string>> {
  const { id, token } = await createSession(db, config, {
    userId: user.id,
    role: options.role ?? 'user',
    ip: options.ip ?? '198.51.100.7',
    userAgent: 'vitest',
    ...(options.authAt ? { authAt: options.authAt } : {}),
    mfaAt: options.mfa ? new Date() : null,
  });
  return {
    cookie: `${SESSION_COOKIE}=${token}`,
    'x-csrf-token': csrfTokenFor(config.appSecret, id),
    'sec-fetch-site': 'same-origin',
  };
}

/** Staff: the role on the user row and a session with a fresh second-factor verification. */
export async function buildStaff(db: Database, config: ResolvedConfig, role: PlatformRole) {
  const user = await buildUser(db, { role });
  return { user, headers: await sessionHeaders(db, config, user, { role, mfa: true }) };
}
