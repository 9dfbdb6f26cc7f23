import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';
import type { PlatformRole } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { normalizeEmail } from '../auth/email.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import { appendAudit } from '../audit/service.ts';
import type { SecurityEvent, SecurityEvents } from '../security-events/service.ts';
import { revokeUserTokens } from '../tokens/repo.ts';

/** Staff access management shared by `vioscan admin …` and the staff API; every change is an event. */
export interface AdminContext {
  db: Database;
  events: SecurityEvents;
  /** Who acts: a user id (staff API) or null with `via` (CLI operator). */
  actorId: string | null;
  via: 'cli' | 'api';
}

const IDLE_DAYS = 90;

/**
 * Every staff change is both a security event and an entry in the tamper-evident audit chain
 * (issue 7: role changes, offboarding and access reviews are appended there). Refused attempts are
 * events only: nothing changed, so there is nothing to audit.
 */
async function record(ctx: AdminContext, event: SecurityEvent): Promise<void> {
  await ctx.events.record(event);
  if (event.outcome !== 'success') return;
  await appendAudit(ctx.db, {
    action: event.type,
    actorId: ctx.actorId,
    targetType: event.userId ? 'user' : null,
    targetId: event.userId ?? null,
    details: event.details,
  });
}

/** A change that took effect (to `userId`'s account, or to none), by the context's actor. */
function recordChange(
  ctx: AdminContext,
  type: string,
  userId: string | null,
  details: Record<string, unknown>,
) {
  return record(ctx, { type, outcome: 'success', userId, actorId: ctx.actorId, details });
}

/** Sets a platform role; a role change gets new session tokens (ASVS 7.2.4 / OWASP: renew on privilege change). */
async function setRole(ctx: AdminContext, userId: string, role: PlatformRole): Promise<void> {
  await ctx.db.kysely.updateTable('users').set({ platform_role: role }).where('id', '=', userId).execute();
  await revokeUserSessions(ctx.db, userId);
}

async function findUser(db: Database, email: string) {
  const user = await db.kysely
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', 'No account with that address.');
  return user;
}

async function hasSecondFactor(db: Database, userId: string, totpEnabled: Date | null): Promise<boolean> {
  if (totpEnabled) return true;
  const passkey = await db.kysely
    .selectFrom('passkeys')
    .select('id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Boolean(passkey);
}

/**
 * Bootstraps a staff account (the first admin). The account has no second factor yet, so staff
 * routes answer mfa_required until it enrols one (ASVS 6.3.3); only `create` may skip that check.
 */
export async function createStaff(ctx: AdminContext, email: string, role: PlatformRole) {
  const address = normalizeEmail(email);
  const existing = await ctx.db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', address)
    .executeTakeFirst();
  if (existing) throw new AppError('conflict', 'An account with that address exists; use `admin grant`.');
  const id = randomUUID();
  await ctx.db.kysely.insertInto('users').values({ id, email: address, platform_role: role }).execute();
  await recordChange(ctx, 'role.granted', id, { role, via: ctx.via, bootstrap: true });
  return { id, email: address, role };
}

export async function grantRole(ctx: AdminContext, email: string, role: PlatformRole) {
  const user = await findUser(ctx.db, email);
  if (role !== 'user' && !(await hasSecondFactor(ctx.db, user.id, user.totp_enabled_at))) {
    await record(ctx, {
      type: 'role.granted',
      outcome: 'failure',
      userId: user.id,
      actorId: ctx.actorId,
      details: { role, via: ctx.via, reason: 'no_second_factor' },
    });
    throw new AppError('mfa_enrollment_required');
  }
  await setRole(ctx, user.id, role);
  await recordChange(ctx, 'role.granted', user.id, { role, previous: user.platform_role, via: ctx.via });
  return { id: user.id, email: user.email, role };
}

export async function revokeRole(ctx: AdminContext, email: string) {
  const user = await findUser(ctx.db, email);
  await setRole(ctx, user.id, 'user');
  await recordChange(ctx, 'role.revoked', user.id, { previous: user.platform_role, via: ctx.via });
  return { id: user.id, email: user.email, role: 'user' as const };
}

/** Ends every session of an account (a stolen device, a suspected takeover); the account stays usable. */
export async function endSessions(ctx: AdminContext, email: string) {
  const user = await findUser(ctx.db, email);
  const sessions = await revokeUserSessions(ctx.db, user.id);
  await recordChange(ctx, 'session.revoked', user.id, { reason: 'staff', count: sessions, via: ctx.via });
  return { id: user.id, sessions };
}

/** Immediate exit: account disabled, every session and token ended, staff role gone. */
export async function offboard(ctx: AdminContext, email: string) {
  const user = await findUser(ctx.db, email);
  await ctx.db.kysely
    .updateTable('users')
    .set({ status: 'disabled', disabled_at: new Date(), platform_role: 'user' })
    .where('id', '=', user.id)
    .execute();
  const sessions = await revokeUserSessions(ctx.db, user.id);
  const tokens = await revokeUserTokens(ctx.db, user.id);
  await recordChange(ctx, 'account.offboarded', user.id, {
    previousRole: user.platform_role,
    sessions,
    tokens,
    via: ctx.via,
  });
  return { id: user.id, email: user.email, sessions, tokens };
}

export interface ReviewedAccount {
  id: string;
  email: string;
  role: PlatformRole;
  status: string;
  mfa: boolean;
  lastActivity: string | null;
  idle: boolean;
}

export async function privilegedAccounts(db: Database): Promise<ReviewedAccount[]> {
  const rows = await db.kysely
    .selectFrom('users')
    .selectAll()
    .where('platform_role', '!=', 'user')
    .orderBy('email')
    .execute();
  const cutoff = Date.now() - IDLE_DAYS * 86_400_000;
  return Promise.all(
    rows.map(async (u) => {
      const last = u.last_seen_at ?? null;
      return {
        id: u.id,
        email: u.email,
        role: u.platform_role,
        status: u.status,
        mfa: await hasSecondFactor(db, u.id, u.totp_enabled_at),
        lastActivity: last?.toISOString() ?? null,
        idle: (last ?? u.created_at).getTime() < cutoff,
      };
    }),
  );
}

/** Lists privileged accounts and, with an attestation, records the reviewer's sign-off. */
export async function accessReview(ctx: AdminContext, attest?: { reviewer: string; statement: string }) {
  const accounts = await privilegedAccounts(ctx.db);
  let reviewId: string | null = null;
  if (attest) {
    reviewId = randomUUID();
    await ctx.db.kysely
      .insertInto('access_reviews')
      .values({
        id: reviewId,
        reviewer: attest.reviewer,
        attestation: attest.statement,
        accounts: JSON.stringify(accounts),
      })
      .execute();
    await recordChange(ctx, 'access_review.attested', null, {
      reviewId,
      accounts: accounts.length,
      flaggedIdle: accounts.filter((a) => a.idle).length,
      via: ctx.via,
    });
  }
  return { accounts, reviewId };
}
