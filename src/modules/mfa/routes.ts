import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { currentSession } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import { mfaHelpers } from './common.ts';
import emailRoutes from '../auth/email-routes.ts';
import passkeyRoutes from './passkey-routes.ts';
import { Code, Enabled, RecoveryCodes, Setup, Verified } from './schema.ts';
import {
  enableTotp,
  regenerateRecoveryCodes,
  removeTotp,
  setupTotp,
  useRecoveryCode,
  verifyTotp,
} from './totp.ts';

const tags = ['mfa'];

/** TOTP enrolment, step-up verification, recovery codes (docs/identity.md). */
const mfaRoutes: RouteModule = async (app, opts) => {
  const { db, config, events } = app.identity;
  const signedIn = { access: 'signed-in' as const };

  const { requireRecent, guard, stepUp, failed, notify } = mfaHelpers(app);
  // Passkeys and email change share the re-verification rules; they live beside TOTP.
  await passkeyRoutes(app, opts);
  await emailRoutes(app, opts);

  app.post(
    '/api/v1/auth/mfa/totp/setup',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Start TOTP enrolment (secret and QR code)',
        body: Type.Object({}),
        response: { 200: Setup, ...errorResponses },
      },
    },
    async (request) => {
      const { user } = await requireRecent(request);
      return setupTotp(db, config.appSecret, user.id, user.email);
    },
  );

  app.post(
    '/api/v1/auth/mfa/totp/enable',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Confirm TOTP enrolment; answers the recovery codes once',
        body: Code,
        response: { 200: Enabled, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = await requireRecent(request);
      await guard(request);
      let recoveryCodes: string[];
      try {
        recoveryCodes = await enableTotp(db, config.appSecret, user.id, request.body.code);
      } catch (error) {
        if (error instanceof AppError && error.code === 'mfa_failed') await failed(request, 'totp');
        throw error;
      }
      await events.record({
        type: 'mfa.enrolled',
        outcome: 'success',
        userId: user.id,
        ip: request.ip,
        requestId: request.id,
        details: { factor: 'totp' },
      });
      await notify(user.email, 'An authenticator app (TOTP) was added');
      const { csrfToken } = await stepUp(request, reply, 'totp');
      return { csrfToken, recoveryCodes };
    },
  );

  app.post(
    '/api/v1/auth/mfa/totp/verify',
    {
      config: { ...signedIn, secondFactorStep: true },
      schema: {
        tags,
        summary: 'Step up with a TOTP code (rotates the session)',
        body: Code,
        response: { 200: Verified, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = currentSession(request);
      await guard(request);
      if (!(await verifyTotp(db, config.appSecret, user.id, request.body.code)))
        await failed(request, 'totp');
      return stepUp(request, reply, 'totp');
    },
  );

  app.post(
    '/api/v1/auth/mfa/recovery/verify',
    {
      config: { ...signedIn, secondFactorStep: true },
      schema: {
        tags,
        summary: 'Step up with a single-use recovery code',
        body: Code,
        response: { 200: Verified, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = currentSession(request);
      await guard(request);
      if (!(await useRecoveryCode(db, user.id, request.body.code))) await failed(request, 'recovery_code');
      await notify(user.email, 'A recovery code was used');
      return stepUp(request, reply, 'recovery_code');
    },
  );

  app.post(
    '/api/v1/auth/mfa/recovery/regenerate',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Replace all recovery codes (needs a recent verification); answers the new ones once',
        body: Type.Object({}),
        response: { 200: RecoveryCodes, ...errorResponses },
      },
    },
    async (request) => {
      const { user } = await requireRecent(request);
      const recoveryCodes = await regenerateRecoveryCodes(db, user.id);
      if (!recoveryCodes) throw new AppError('conflict', 'Set up an authenticator app (TOTP) first.');
      await events.record({
        type: 'mfa.recovery_regenerated',
        outcome: 'success',
        userId: user.id,
        ip: request.ip,
        requestId: request.id,
        details: { factor: 'recovery_code' },
      });
      await notify(user.email, 'New recovery codes were made; the old ones no longer work');
      return { recoveryCodes };
    },
  );

  app.delete(
    '/api/v1/auth/mfa/totp',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Remove TOTP and its recovery codes; ends your other sessions',
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, session } = await requireRecent(request);
      await removeTotp(db, user.id);
      await revokeUserSessions(db, user.id, session.id);
      await events.record({
        type: 'mfa.removed',
        outcome: 'success',
        userId: user.id,
        ip: request.ip,
        requestId: request.id,
        details: { factor: 'totp' },
      });
      await notify(user.email, 'The authenticator app (TOTP) was removed');
      return reply.status(204).send(null);
    },
  );
};

export default mfaRoutes;
