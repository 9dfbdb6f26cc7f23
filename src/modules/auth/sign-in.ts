import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withTransaction } from '../../db/tx.ts';
import { AppError } from '../../errors.ts';
import { keyedHash, randomCode, randomToken, safeEqual, sha256 } from './crypto.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { newSignInMail, signInMail } from './mails.ts';
import { createSession, secondFactorsOf } from './sessions.ts';
import { PRIVACY_VERSION, TERMS_VERSION } from './terms.ts';
import { blockedUntil, clearFailures, limits, overLimit, recordFailure, retryAfter } from './throttle.ts';

/** ASVS 6.5.5 / NIST 800-63B §5.1.3: out-of-band secrets live at most 10 minutes. */
export const ATTEMPT_TTL_MS = 10 * 60_000;
/** ASVS 6.6.3: a 6-digit code allows 5 guesses, then the attempt is void. */
export const MAX_TRIES = 5;
// The name comes from the one cookie list behind the /security cookie table.
export { SIGN_IN_COOKIE as NONCE_COOKIE } from '../privacy/cookies.ts';
export const CONFIRM_PATH = '/auth/confirm';

const codeHash = (secret: string, attemptId: string, code: string) =>
  keyedHash(secret, 'sign-in-code', `${attemptId}:${code}`);

/**
 * Starts a sign-in: mails a code and a link, returns the browser nonce for the cookie. The
 * answer never depends on whether the address has an account (no enumeration, ASVS 6.3.8/V6.1).
 */
export async function requestSignIn(
  deps: IdentityDeps,
  input: { email: string; acceptTerms: boolean },
  client: ClientInfo,
): Promise<{ nonce: string | null }> {
  const { db, config, events } = deps;
  let email: string;
  try {
    email = normalizeEmail(input.email);
  } catch (error) {
    await events.record({
      type: 'auth.sign_in.requested',
      outcome: 'failure',
      ...ev(client),
      details: { reason: 'invalid_email' },
    });
    throw error;
  }
  const blocked = await blockedUntil(db, `ip|${client.ip}`);
  if (blocked) {
    await events.record({
      type: 'request.blocked',
      outcome: 'failure',
      ...ev(client),
      email,
      details: { reason: 'ip_blocked' },
    });
    throw new AppError('too_many_attempts', undefined, retryAfter(blocked));
  }
  const overIp = await overLimit(db, `request-ip|${client.ip}`, limits.requestsPerIp);
  if (overIp) {
    await events.record({
      type: 'request.blocked',
      outcome: 'failure',
      ...ev(client),
      email,
      details: { reason: 'ip_request_limit' },
    });
    throw new AppError('rate_limited', undefined, overIp);
  }
  if (await overLimit(db, `request-email|${sha256(email)}`, limits.requestsPerEmail)) {
    // Same answer as a success: the limit must not reveal anything about the address. No new
    // nonce either, so the code already sent to this browser still works.
    await events.record({ type: 'auth.sign_in.throttled', outcome: 'failure', ...ev(client), email });
    return { nonce: null };
  }
  const nonce = randomToken();
  const id = randomUUID();
  const code = randomCode();
  const linkToken = randomToken();
  await db.kysely
    .insertInto('sign_in_attempts')
    .values({
      id,
      email,
      code_hash: codeHash(config.appSecret, id, code),
      link_hash: sha256(linkToken),
      nonce_hash: sha256(nonce),
      terms_accepted: input.acceptTerms,
      ip: client.ip,
      expires_at: new Date(Date.now() + ATTEMPT_TTL_MS),
    })
    .execute();
  const link = `${config.baseUrl}${CONFIRM_PATH}?t=${linkToken}`;
  try {
    await deps.mailer.send(signInMail(email, code, link));
  } catch (error) {
    // Fail closed but quietly (ASVS 16.5.2): the caller sees the same answer, the operator sees the error.
    deps.logger.error({ scope: 'auth', err: error, reqId: client.requestId }, 'sign-in mail not sent');
  }
  if (config.nodeEnv === 'development' && !config.smtpUrl) {
    // Development convenience: the log would redact the link's token, so it goes to the terminal
    // as a notice of its own. Never in production, nor with a real mail server.
    deps.logger.info({ scope: 'auth' }, 'sign-in mail written to the local outbox (link and code on stderr)');
    deps.devNotice(`Sign-in for ${email} (development only)\n  link: ${link}\n  code: ${code}`);
  }
  await events.record({ type: 'auth.sign_in.requested', outcome: 'success', ...ev(client), email });
  return { nonce };
}

function ev(client: ClientInfo) {
  return { ip: client.ip, requestId: client.requestId };
}

interface Attempt {
  id: string;
  email: string;
  code_hash: string;
  nonce_hash: string;
  tries: number;
  terms_accepted: boolean;
  expires_at: Date;
  consumed_at: Date | null;
}

async function guard(deps: IdentityDeps, client: ClientInfo): Promise<void> {
  const blocked = await blockedUntil(deps.db, `ip|${client.ip}`);
  if (blocked) {
    await deps.events.record({
      type: 'request.blocked',
      outcome: 'failure',
      ...ev(client),
      details: { reason: 'ip_blocked' },
    });
    throw new AppError('too_many_attempts', undefined, retryAfter(blocked));
  }
}

async function fail(
  deps: IdentityDeps,
  client: ClientInfo,
  reason: string,
  attempt?: Pick<Attempt, 'email'>,
): Promise<void> {
  await recordFailure(deps.db, `ip|${client.ip}`, limits.failuresPerIp);
  if (attempt) await recordFailure(deps.db, `account|${sha256(attempt.email)}`, limits.failuresPerAccount);
  await deps.events.record({
    type: 'auth.sign_in.failed',
    outcome: 'failure',
    ...ev(client),
    email: attempt?.email,
    details: { reason },
  });
}

/** Verifies the 6-digit code typed in the browser that asked for it (ASVS 6.6.2). */
export async function verifyCode(
  deps: IdentityDeps,
  input: { code: string; nonce: string | undefined },
  client: ClientInfo,
) {
  await guard(deps, client);
  if (!input.nonce) {
    await fail(deps, client, 'no_browser_nonce');
    throw new AppError('sign_in_other_browser');
  }
  const attempt = await deps.db.kysely
    .selectFrom('sign_in_attempts')
    .selectAll()
    .where('nonce_hash', '=', sha256(input.nonce))
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!usable(attempt)) {
    await fail(deps, client, attempt ? 'attempt_spent' : 'unknown_attempt', attempt);
    throw new AppError('sign_in_expired');
  }
  if (
    !/^\d{6}$/.test(input.code) ||
    !safeEqual(codeHash(deps.config.appSecret, attempt.id, input.code), attempt.code_hash)
  ) {
    const updated = await deps.db.kysely
      .updateTable('sign_in_attempts')
      .set({ tries: sql`tries + 1` })
      .where('id', '=', attempt.id)
      .returning('tries')
      .executeTakeFirstOrThrow();
    await fail(deps, client, 'wrong_code', attempt);
    if (updated.tries >= MAX_TRIES) throw new AppError('sign_in_expired');
    throw new AppError('sign_in_failed', undefined, { triesLeft: MAX_TRIES - updated.tries });
  }
  return complete(deps, attempt, client);
}

/** An attempt can still sign in: not consumed, tries left, not expired. */
function usable<T extends { consumed_at: Date | null; tries: number; expires_at: Date }>(
  attempt: T | undefined,
): attempt is T {
  return (
    attempt !== undefined &&
    !attempt.consumed_at &&
    attempt.tries < MAX_TRIES &&
    attempt.expires_at.getTime() > Date.now()
  );
}

/** POST from the confirm page: consumes the link token, only with the requesting browser's nonce. */
export async function confirmLink(
  deps: IdentityDeps,
  input: { token: string; nonce: string | undefined },
  client: ClientInfo,
) {
  await guard(deps, client);
  const attempt = await deps.db.kysely
    .selectFrom('sign_in_attempts')
    .selectAll()
    .where('link_hash', '=', sha256(input.token))
    .executeTakeFirst();
  if (!usable(attempt)) {
    await fail(deps, client, attempt ? 'attempt_spent' : 'unknown_link', attempt);
    throw new AppError('sign_in_expired');
  }
  if (!input.nonce || !safeEqual(sha256(input.nonce), attempt.nonce_hash)) {
    await fail(deps, client, 'other_browser', attempt);
    throw new AppError('sign_in_other_browser');
  }
  return complete(deps, attempt, client);
}

async function complete(deps: IdentityDeps, attempt: Attempt, client: ClientInfo) {
  const { db, config } = deps;
  const result = await withTransaction(db, async (tx) => {
    // Single use (ASVS 6.5.1): of two concurrent confirmations exactly one updates the row.
    const consumed = await tx
      .updateTable('sign_in_attempts')
      .set({ consumed_at: new Date() })
      .where('id', '=', attempt.id)
      .where('consumed_at', 'is', null)
      .where('tries', '<', MAX_TRIES)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    if (Number(consumed.numUpdatedRows) !== 1) return { outcome: 'spent' as const };
    let user = await tx.selectFrom('users').selectAll().where('email', '=', attempt.email).executeTakeFirst();
    const created = !user;
    const now = new Date();
    const acceptance = attempt.terms_accepted
      ? {
          terms_version: TERMS_VERSION,
          terms_accepted_at: now,
          privacy_version: PRIVACY_VERSION,
          privacy_accepted_at: now,
        }
      : {};
    if (!user) {
      user = await tx
        .insertInto('users')
        .values({ id: randomUUID(), email: attempt.email, ...acceptance })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else if (user.status !== 'active') {
      return { outcome: 'disabled' as const, userId: user.id };
    } else if (attempt.terms_accepted && user.terms_version !== TERMS_VERSION) {
      await tx.updateTable('users').set(acceptance).where('id', '=', user.id).execute();
    }
    await tx.updateTable('users').set({ last_seen_at: now }).where('id', '=', user.id).execute();
    // An account with a second factor gets a pending session: email alone does not finish sign-in.
    const secondFactor = await secondFactorsOf(tx, user);
    const session = await createSession(tx, config, {
      userId: user.id,
      role: user.platform_role,
      ip: client.ip,
      userAgent: client.userAgent,
      secondFactorPending: secondFactor !== null,
    });
    return { outcome: 'ok' as const, user, created, session, secondFactor };
  });
  if (result.outcome === 'spent') {
    await fail(deps, client, 'already_used', attempt);
    throw new AppError('sign_in_expired');
  }
  if (result.outcome === 'disabled') {
    await deps.events.record({
      type: 'auth.sign_in.failed',
      outcome: 'failure',
      userId: result.userId,
      ...ev(client),
      details: { reason: 'account_disabled' },
    });
    throw new AppError('forbidden', 'This account is disabled.');
  }
  // Only this account's count: a success must not wipe the address's failures on other accounts
  // (signing in to one's own account between guesses would otherwise reset the IP block).
  await clearFailures(db, `account|${sha256(attempt.email)}`);
  if (result.created) {
    await deps.events.record({
      type: 'account.created',
      outcome: 'success',
      userId: result.user.id,
      ...ev(client),
      details: { termsVersion: TERMS_VERSION, privacyVersion: PRIVACY_VERSION },
    });
  }
  await deps.events.record({
    type: 'auth.sign_in.succeeded',
    outcome: 'success',
    userId: result.user.id,
    ...ev(client),
    details: { factor: 'email' },
  });
  try {
    await deps.mailer.send(newSignInMail(attempt.email, client.ip, client.userAgent, new Date()));
  } catch (error) {
    deps.logger.error(
      { scope: 'auth', err: error, reqId: client.requestId },
      'sign-in notification not sent',
    );
  }
  return {
    user: result.user,
    session: result.session,
    created: result.created,
    secondFactor: result.secondFactor,
  };
}
