import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { Tx } from '../../db/tx.ts';
import type { PlatformRole } from '../../db/types.ts';
import { keyedHash, randomToken, sha256 } from './crypto.ts';

// The name comes from the one cookie list behind the /security cookie table.
export { SESSION_COOKIE } from '../privacy/cookies.ts';

type SessionConfig = Pick<
  ResolvedConfig,
  | 'sessionIdleMinutes'
  | 'sessionAbsoluteHours'
  | 'staffSessionIdleMinutes'
  | 'staffSessionAbsoluteHours'
  | 'maxSessionsPerUser'
  | 'appSecret'
>;

export function isStaff(role: PlatformRole): boolean {
  return role !== 'user';
}

/** Idle and absolute limits in ms; staff get the shorter OWASP "high value" numbers (docs/authentication.md). */
export function sessionLimits(
  config: SessionConfig,
  role: PlatformRole,
): { idleMs: number; absoluteMs: number } {
  return isStaff(role)
    ? {
        idleMs: config.staffSessionIdleMinutes * 60_000,
        absoluteMs: config.staffSessionAbsoluteHours * 3600_000,
      }
    : { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionAbsoluteHours * 3600_000 };
}

export interface NewSession {
  userId: string;
  role: PlatformRole;
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** When the user last proved their identity (sign-in or re-verification). */
  authAt?: Date;
  mfaAt?: Date | null;
  /** The account has a second factor that this sign-in has not verified yet. */
  secondFactorPending?: boolean;
}

/** How long a session held for its second factor lives before the sign-in must start again. */
export const HELD_SESSION_MS = 10 * 60_000;

/**
 * Creates a session and returns its token; only the SHA-256 of the 256-bit token is stored
 * (ASVS 7.2.3). Beyond MAX_SESSIONS_PER_USER the least recently used sessions are ended.
 */
export async function createSession(
  db: Database | Tx,
  config: SessionConfig,
  input: NewSession,
): Promise<{ id: string; token: string }> {
  const kysely = 'kysely' in db ? db.kysely : db;
  const token = randomToken();
  const id = randomUUID();
  const now = new Date();
  await kysely
    .insertInto('sessions')
    .values({
      id,
      user_id: input.userId,
      token_hash: sha256(token),
      created_at: now,
      last_seen_at: now,
      // A held session only finishes signing in: NIST 800-63B's 10 minutes for an out-of-band step.
      expires_at: new Date(
        now.getTime() +
          (input.secondFactorPending
            ? Math.min(HELD_SESSION_MS, sessionLimits(config, input.role).absoluteMs)
            : sessionLimits(config, input.role).absoluteMs),
      ),
      auth_at: input.authAt ?? now,
      mfa_at: input.mfaAt ?? null,
      second_factor_pending: input.secondFactorPending ?? false,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 512) ?? null,
    })
    .execute();
  const active = await kysely
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', input.userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  const evicted = active.slice(config.maxSessionsPerUser).map((s) => s.id);
  if (evicted.length) {
    await kysely.updateTable('sessions').set({ revoked_at: now }).where('id', 'in', evicted).execute();
  }
  return { id, token };
}

export type SessionCheck =
  | { ok: true; session: SessionRow; user: SessionUser }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' | 'idle' | 'disabled'; userId?: string };

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  auth_at: Date;
  mfa_at: Date | null;
  second_factor_pending: boolean;
  ip: string | null;
  user_agent: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  platform_role: PlatformRole;
  totp_enabled_at: Date | null;
}

/** How stale last_seen_at may get before a request refreshes it (saves a write per request). */
const TOUCH_MS = 60_000;

export async function checkSession(
  db: Database,
  config: SessionConfig,
  token: string,
): Promise<SessionCheck> {
  const row = await db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.auth_at',
      'sessions.mfa_at',
      'sessions.second_factor_pending',
      'sessions.ip',
      'sessions.user_agent',
      'sessions.revoked_at',
      'users.email',
      'users.platform_role',
      'users.status',
      'users.totp_enabled_at',
    ])
    .where('sessions.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  const now = Date.now();
  const fail = (reason: 'revoked' | 'expired' | 'idle' | 'disabled'): SessionCheck => ({
    ok: false,
    reason,
    userId: row.user_id,
  });
  if (row.revoked_at) return fail('revoked');
  if (row.status !== 'active') return fail('disabled');
  if (row.expires_at.getTime() <= now) return fail('expired');
  if (row.last_seen_at.getTime() + sessionLimits(config, row.platform_role).idleMs <= now) {
    await db.kysely
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    return fail('idle');
  }
  if (now - row.last_seen_at.getTime() > TOUCH_MS) {
    await db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now) })
      .where('id', '=', row.id)
      .execute();
    await db.kysely
      .updateTable('users')
      .set({ last_seen_at: new Date(now) })
      .where('id', '=', row.user_id)
      .execute();
  }
  const { email, platform_role, totp_enabled_at, ...session } = row;
  return { ok: true, session, user: { id: row.user_id, email, platform_role, totp_enabled_at } };
}

/** The second factors an account has; a sign-in by email alone must still verify one of them. */
export async function secondFactorsOf(
  db: Database | Tx,
  user: { id: string; totp_enabled_at: Date | null },
): Promise<{ totp: boolean; passkey: boolean } | null> {
  const kysely = 'kysely' in db ? db.kysely : db;
  const passkey = await kysely
    .selectFrom('passkeys')
    .select('id')
    .where('user_id', '=', user.id)
    .limit(1)
    .executeTakeFirst();
  const factors = { totp: user.totp_enabled_at !== null, passkey: passkey !== undefined };
  return factors.totp || factors.passkey ? factors : null;
}

/** A new token for the same sign-in (ASVS 7.2.4: MFA step-up, role or email change); the old one ends. */
export async function rotateSession(
  db: Database,
  config: SessionConfig,
  old: SessionRow,
  user: SessionUser,
  changes: { mfaAt?: Date; ip?: string | undefined; userAgent?: string | undefined } = {},
): Promise<{ id: string; token: string }> {
  await revokeSession(db, old.id);
  return createSession(db, config, {
    userId: user.id,
    role: user.platform_role,
    ip: changes.ip ?? old.ip ?? undefined,
    userAgent: changes.userAgent ?? old.user_agent ?? undefined,
    authAt: old.auth_at,
    mfaAt: changes.mfaAt ?? old.mfa_at,
    secondFactorPending: changes.mfaAt ? false : old.second_factor_pending,
  });
}

export async function revokeSession(db: Database, id: string): Promise<boolean> {
  const result = await db.kysely
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function revokeUserSessions(
  db: Database | Tx,
  userId: string,
  exceptId?: string,
): Promise<number> {
  const kysely = 'kysely' in db ? db.kysely : db;
  let query = kysely
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId) query = query.where('id', '!=', exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listSessions(db: Database, userId: string) {
  return db.kysely
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent', 'mfa_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Synchronizer token bound to the session id, so it changes whenever the session token rotates. */
export function csrfTokenFor(appSecret: string, sessionId: string): string {
  return keyedHash(appSecret, 'csrf', sessionId).slice(0, 43);
}

/** Sensitive actions need an identity proof at most this old (NIST 800-63B §6.1.2.1: 20 min for binding). */
export const REAUTH_MS = 20 * 60_000;

export function recentlyVerified(
  session: Pick<SessionRow, 'auth_at' | 'mfa_at'>,
  withinMs = REAUTH_MS,
): boolean {
  const last = Math.max(session.auth_at.getTime(), session.mfa_at?.getTime() ?? 0);
  return Date.now() - last <= withinMs;
}
