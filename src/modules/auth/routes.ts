import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { clearSessionCookie, cookieOptions, currentSession } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { clientRoutes } from '../web/paths.ts';
import type { ClientInfo } from './deps.ts';
import { confirmPage } from './pages.ts';
import { presentSession, presentUser } from './present.ts';
import * as S from './schema.ts';
import {
  SESSION_COOKIE,
  csrfTokenFor,
  listSessions,
  revokeSession,
  revokeUserSessions,
  secondFactorsOf,
} from './sessions.ts';
import {
  ATTEMPT_TTL_MS,
  CONFIRM_PATH,
  NONCE_COOKIE,
  confirmLink,
  requestSignIn,
  verifyCode,
} from './sign-in.ts';

export function clientInfo(request: FastifyRequest): ClientInfo {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua : undefined, requestId: request.id };
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions);
}

const tags = ['auth'];

/** Email sign-in (code or link), the current session, session list and sign-out. */
const authRoutes: RouteModule = async (app) => {
  const deps = app.identity;
  const { config, db, events } = deps;

  /** A finished email sign-in: the nonce cookie goes, the session cookie is set; the answer the web app reads. */
  const finishSignIn = (reply: FastifyReply, result: Awaited<ReturnType<typeof verifyCode>>) => {
    reply.clearCookie(NONCE_COOKIE, cookieOptions);
    setSessionCookie(reply, result.session.token);
    return {
      user: presentUser(result.user),
      csrfToken: csrfTokenFor(config.appSecret, result.session.id),
      created: result.created,
      pendingSecondFactor: result.secondFactor,
    };
  };

  // The confirm page posts an ordinary HTML form; only this plugin accepts that media type.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Mail a sign-in code and link',
        body: S.SignInRequest,
        response: { 202: S.SignInAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { nonce } = await requestSignIn(deps, request.body, clientInfo(request));
      if (nonce) reply.setCookie(NONCE_COOKIE, nonce, { ...cookieOptions, maxAge: ATTEMPT_TTL_MS / 1000 });
      return reply.status(202).send({
        status: 'sent',
        message: 'If this address can receive mail, a code and a link are on their way.',
      });
    },
  );

  app.post(
    '/api/v1/auth/sign-in/code',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Finish signing in with the mailed code',
        body: S.CodeRequest,
        response: { 200: S.SignedIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await verifyCode(
        deps,
        { code: request.body.code, nonce: request.cookies[NONCE_COOKIE] },
        clientInfo(request),
      );
      return finishSignIn(reply, result);
    },
  );

  app.get(
    CONFIRM_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags: ['web'],
        summary: 'Confirm page for a sign-in link (does not sign in)',
        querystring: S.LinkToken,
        produces: ['text/html'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.type('text/html; charset=utf-8').send(confirmPage(request.query.t, reply.cspNonce.style)),
  );

  app.post(
    CONFIRM_PATH,
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Consume a sign-in link token and start a session',
        body: S.LinkToken,
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        response: { 200: S.SignedIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await confirmLink(
        deps,
        { token: request.body.t, nonce: request.cookies[NONCE_COOKIE] },
        clientInfo(request),
      );
      const signedIn = finishSignIn(reply, result);
      // A new account goes on to the first-run welcome step (the optional consent), as by code.
      if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded'))
        return reply.redirect(signedIn.created ? clientRoutes.welcome : '/', 303);
      return signedIn;
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { access: 'signed-in', secondFactorStep: true, signedOutProbe: true },
      schema: {
        tags,
        summary:
          'The signed-in user, this session and its CSRF token (?probe=1: 204 when signed out, not 401)',
        querystring: S.SessionQuery,
        response: { 200: S.CurrentSession, 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!request.auth) return reply.status(204).send(null);
      const { user, session } = currentSession(request);
      return {
        user: presentUser(user),
        session: presentSession(session, session.id),
        csrfToken: csrfTokenFor(config.appSecret, session.id),
        pendingSecondFactor: session.second_factor_pending ? await secondFactorsOf(db, user) : null,
      };
    },
  );

  app.post(
    '/api/v1/auth/sign-out',
    {
      config: { access: 'signed-in', secondFactorStep: true },
      schema: {
        tags,
        summary: 'End this session (server-side)',
        body: S.Empty,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, session } = currentSession(request);
      await revokeSession(db, session.id);
      await events.record({
        type: 'session.revoked',
        outcome: 'success',
        userId: user.id,
        ...ev(request),
        details: { reason: 'sign_out' },
      });
      clearSessionCookie(reply);
      reply.header('clear-site-data', '"cache", "cookies", "storage"');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Active sessions of the signed-in user',
        response: { 200: S.SessionList, ...errorResponses },
      },
    },
    async (request) => {
      const { user, session } = currentSession(request);
      return { sessions: (await listSessions(db, user.id)).map((s) => presentSession(s, session.id)) };
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:sessionId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'End one of your sessions',
        params: S.SessionIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = currentSession(request);
      const own = (await listSessions(db, user.id)).some((s) => s.id === request.params.sessionId);
      if (!own || !(await revokeSession(db, request.params.sessionId))) throw new AppError('not_found');
      await events.record({
        type: 'session.revoked',
        outcome: 'success',
        userId: user.id,
        ...ev(request),
        details: { reason: 'user', sessionId: request.params.sessionId },
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/sessions/revoke-others',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'End every other session',
        body: S.Empty,
        response: { 200: S.Revoked, ...errorResponses },
      },
    },
    async (request) => {
      const { user, session } = currentSession(request);
      const revoked = await revokeUserSessions(db, user.id, session.id);
      await events.record({
        type: 'session.revoked',
        outcome: 'success',
        userId: user.id,
        ...ev(request),
        details: { reason: 'others', count: revoked },
      });
      return { revoked };
    },
  );
};

function ev(request: FastifyRequest) {
  return { ip: request.ip, requestId: request.id };
}

export default authRoutes;
