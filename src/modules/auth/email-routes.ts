import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { mfaHelpers } from '../mfa/common.ts';
import { changedMail, confirmEmailChange, requestEmailChange } from './email-change.ts';
import { presentUser } from './present.ts';
import { clientInfo, setSessionCookie } from './routes.ts';
import * as S from './schema.ts';
import { csrfTokenFor, revokeUserSessions, rotateSession } from './sessions.ts';

const tags = ['auth'];

/** Email change: recent verification, a code to the new address, a notice to the old one (docs/identity.md). */
const emailRoutes: RouteModule = async (app) => {
  const deps = app.identity;
  const { db, config, mailer, logger } = deps;
  const { requireRecent } = mfaHelpers(app);
  const signedIn = { access: 'signed-in' as const };

  app.post(
    '/api/v1/auth/email/change',
    {
      config: { ...signedIn, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Mail a code to a new address (needs a verification in the last 20 minutes)',
        // Generous so an overlong address reaches the service: invalid_email plus an event.
        body: Type.Object({ email: Type.String({ maxLength: 1024 }) }),
        response: { 202: S.SignInAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = await requireRecent(request);
      await requestEmailChange(deps, user, request.body.email, clientInfo(request));
      return reply
        .status(202)
        .send({ status: 'sent' as const, message: 'A code is on its way to the new address.' });
    },
  );

  app.post(
    '/api/v1/auth/email/confirm',
    {
      config: { ...signedIn, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Confirm the new address with its code (new session token, other sessions end)',
        body: S.CodeRequest,
        response: { 200: S.SignedIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, session } = await requireRecent(request);
      const { oldEmail, newEmail } = await confirmEmailChange(
        deps,
        user,
        request.body.code,
        clientInfo(request),
      );
      // ASVS 7.2.4: a new token on email change; every other session of the account ends.
      const next = await rotateSession(db, config, session, user, clientInfo(request));
      await revokeUserSessions(db, user.id, next.id);
      setSessionCookie(reply, next.token);
      try {
        await mailer.send(changedMail(oldEmail, newEmail));
      } catch (error) {
        logger.error({ scope: 'auth', err: error }, 'email change notice not sent');
      }
      return {
        user: presentUser({ ...user, email: newEmail }),
        csrfToken: csrfTokenFor(config.appSecret, next.id),
        // Only a fully signed-in session gets this far.
        pendingSecondFactor: null,
      };
    },
  );
};

export default emailRoutes;
