import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { currentSession } from '../../http/plugins/session.ts';
import { securityChangeMail } from '../auth/mails.ts';
import { clientInfo, setSessionCookie } from '../auth/routes.ts';
import { csrfTokenFor, recentlyVerified, rotateSession } from '../auth/sessions.ts';
import { limits, recordFailure } from '../auth/throttle.ts';

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

  async function stepUp(request: FastifyRequest, reply: FastifyReply, factor: Factor) {
    const { user, session } = currentSession(request);
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

  return { requireRecent, stepUp, failed, notify };
}
