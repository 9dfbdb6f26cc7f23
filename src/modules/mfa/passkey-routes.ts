import { Type } from '@sinclair/typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { currentSession } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import { mfaHelpers } from './common.ts';
import {
  authenticationOptions,
  listPasskeys,
  registerPasskey,
  registrationOptions,
  relyingParty,
  removePasskey,
  renamePasskey,
  verifyPasskey,
} from './passkeys.ts';
import {
  AuthenticationBody,
  Options,
  PasskeyList,
  PasskeyParams,
  PasskeyRegistered,
  PasskeyRename,
  RegistrationBody,
  Verified,
} from './schema.ts';

const tags = ['mfa'];

/** Passkeys (WebAuthn) as a second factor: registration, step-up, listing and removal. */
const passkeyRoutes: RouteModule = async (app) => {
  const { db, config, events } = app.identity;
  const { requireRecent, guard, stepUp, failed, notify } = mfaHelpers(app);
  const rp = relyingParty(config.baseUrl);
  const signedIn = { access: 'signed-in' as const };
  const ev = (request: { ip: string; id: string }) => ({ ip: request.ip, requestId: request.id });

  app.get(
    '/api/v1/auth/mfa/passkeys',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Your passkeys',
        response: { 200: PasskeyList, ...errorResponses },
      },
    },
    async (request) => {
      const rows = await listPasskeys(db, currentSession(request).user.id);
      return {
        passkeys: rows.map((p) => ({
          id: p.id,
          name: p.name,
          createdAt: p.created_at.toISOString(),
          lastUsedAt: p.last_used_at?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/auth/mfa/passkeys/register/options',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Start adding a passkey (needs a verification in the last 20 minutes)',
        body: Type.Object({}),
        response: { 200: Options, ...errorResponses },
      },
    },
    async (request) => {
      const { user, session } = await requireRecent(request);
      return registrationOptions(db, rp, user, session.id);
    },
  );

  app.post(
    '/api/v1/auth/mfa/passkeys/register',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Finish adding a passkey with the authenticator response (rotates the session)',
        body: RegistrationBody,
        response: { 200: PasskeyRegistered, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, session } = await requireRecent(request);
      const name = request.body.name ?? 'Passkey';
      const added = await registerPasskey(
        db,
        rp,
        user.id,
        session.id,
        request.body.response as unknown as RegistrationResponseJSON,
        name,
      );
      if (!added) return failed(request, 'passkey', 'registration_refused');
      await events.record({
        type: 'mfa.enrolled',
        outcome: 'success',
        userId: user.id,
        ...ev(request),
        details: { factor: 'passkey', passkeyId: added.id },
      });
      await notify(user.email, `A passkey ("${name}") was added`);
      const { csrfToken } = await stepUp(request, reply, 'passkey');
      const now = new Date().toISOString();
      return { csrfToken, passkey: { id: added.id, name, createdAt: now, lastUsedAt: null } };
    },
  );

  app.post(
    '/api/v1/auth/mfa/passkeys/verify/options',
    {
      config: { ...signedIn, secondFactorStep: true },
      schema: {
        tags,
        summary: 'Challenge for a passkey step-up',
        body: Type.Object({}),
        response: { 200: Options, ...errorResponses },
      },
    },
    async (request) => {
      const { user, session } = currentSession(request);
      return authenticationOptions(db, rp, user.id, session.id);
    },
  );

  app.post(
    '/api/v1/auth/mfa/passkeys/verify',
    {
      config: { ...signedIn, secondFactorStep: true },
      schema: {
        tags,
        summary: 'Step up with a passkey assertion (rotates the session)',
        body: AuthenticationBody,
        response: { 200: Verified, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, session } = currentSession(request);
      await guard(request);
      const used = await verifyPasskey(
        db,
        rp,
        user.id,
        session.id,
        request.body.response as unknown as AuthenticationResponseJSON,
      );
      if (!used) return failed(request, 'passkey', 'assertion_refused');
      return stepUp(request, reply, 'passkey');
    },
  );

  app.patch(
    '/api/v1/auth/mfa/passkeys/:passkeyId',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Rename one of your passkeys (1–64 characters)',
        params: PasskeyParams,
        body: PasskeyRename,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = currentSession(request);
      const name = request.body.name.trim();
      if (name.length < 1 || name.length > 64)
        throw new AppError('validation_failed', 'A passkey name has 1 to 64 characters.');
      if (!(await renamePasskey(db, user.id, request.params.passkeyId, name)))
        throw new AppError('not_found');
      await events.record({
        type: 'mfa.renamed',
        outcome: 'success',
        userId: user.id,
        ...ev(request),
        details: { factor: 'passkey', passkeyId: request.params.passkeyId },
      });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/auth/mfa/passkeys/:passkeyId',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Remove a passkey (needs a recent verification); ends your other sessions',
        params: PasskeyParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, session } = await requireRecent(request);
      if (!(await removePasskey(db, user.id, request.params.passkeyId))) throw new AppError('not_found');
      await revokeUserSessions(db, user.id, session.id);
      await events.record({
        type: 'mfa.removed',
        outcome: 'success',
        userId: user.id,
        ...ev(request),
        details: { factor: 'passkey', passkeyId: request.params.passkeyId },
      });
      await notify(user.email, 'A passkey was removed');
      return reply.status(204).send(null);
    },
  );
};

export default passkeyRoutes;
