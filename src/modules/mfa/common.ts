import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { currentSession } from '../../http/plugins/session.ts';
import { securityChangeMail } from '../auth/mails.ts';
import { clientInfo, setSessionCookie } from '../auth/routes.ts';
import { csrfTokenFor, recentlyVerified, rotateSession } from '../auth/sessions.ts';
import { blockedUntil, clearFailures, limits, recordFailure, retryAfter } from '../auth/throttle.ts';

export type Factor = 'totp' | 'recovery_code' | 'passkey';

/** Shared by the TOTP, passkey and email-change routes: re-verification, step-up, failures, notices. */
export function mfaHelpers(app: FastifyInstance) {
  const { db, config, events, mailer, logger } = app.identity;

  async function requireRecent(request: FastifyRequest) {
    const auth = currentSession(request);
    // NIST 800-63B §6.1.2.1 / ASVS 7.5.1: binding or removing a factor needs an identity proof ≤ 20 min old.
    if (!recentlyVerified(auth.session)) {
      await events.record({
        type: 'authz.denied',
        outcome: 'failure',
        userId: auth.user.id,
        ip: request.ip,
        requestId: request.id,
        details: { reason: 'reauth_required', route: request.routeOptions.url },
      });
      throw new AppError('reauth_required');
    }
    return auth;
  }

  /**
   * The sign-in code's backoff for second-factor guesses (ASVS 6.3.1, NIST 800-63B §5.2.2): a
   * session held for its second factor belongs to whoever read the email, so its TOTP and
   * recovery-code guesses are blocked per IP after 10 failures and per account after 100.
   * Called before a code or assertion is checked; once blocked, even the right one is refused.
   */
  async function guard(request: FastifyRequest): Promise<void> {
    const { user } = currentSession(request);
    for (const [key, reason] of [
      [`ip|${request.ip}`, 'mfa_ip_blocked'],
      [`mfa|${user.id}`, 'mfa_account_blocked'],
    ] as const) {
      const blocked = await blockedUntil(db, key);
      if (!blocked) continue;
      await events.record({
        type: 'request.blocked',
        outcome: 'failure',
        userId: user.id,
        ip: request.ip,
        requestId: request.id,
        details: { reason, route: request.routeOptions.url },
      });
      throw new AppError('too_many_attempts', undefined, retryAfter(blocked));
    }
  }

  async function stepUp(request: FastifyRequest, reply: FastifyReply, factor: Factor) {
    const { user, session } = currentSession(request);
    // Consecutive failures are what the account limit counts.
    await clearFailures(db, `mfa|${user.id}`);
    // ASVS 7.2.4: a new session token after a step-up; the old one ends.
    const next = await rotateSession(db, config, session, user, {
      mfaAt: new Date(),
      ...clientInfo(request),
    });
    setSessionCookie(reply, next.token);
    await events.record({
      type: 'mfa.verified',
      outcome: 'success',
      userId: user.id,
      ip: request.ip,
      requestId: request.id,
      details: { factor },
    });
    return { csrfToken: csrfTokenFor(config.appSecret, next.id) };
  }

  async function failed(request: FastifyRequest, factor: string, reason?: string): Promise<never> {
    await recordFailure(db, `ip|${request.ip}`, limits.failuresPerIp);
    if (request.auth) await recordFailure(db, `mfa|${request.auth.user.id}`, limits.failuresPerAccount);
    await events.record({
      type: 'mfa.failed',
      outcome: 'failure',
      userId: request.auth?.user.id,
      ip: request.ip,
      requestId: request.id,
      details: reason ? { factor, reason } : { factor },
    });
    throw new AppError('mfa_failed');
  }

  async function notify(email: string, change: string) {
    try {
      await mailer.send(securityChangeMail(email, change));
    } catch (error) {
      logger.error({ scope: 'auth', err: error }, 'security change mail not sent');
    }
  }

  return { requireRecent, guard, stepUp, failed, notify };
}
