import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { OrgRole } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import {
  isOrgPermission,
  orgRoleCan,
  platformRoleCan,
  type Access,
  type OrgPermission,
  type PlatformPermission,
} from '../../modules/auth/permissions.ts';
import {
  SESSION_COOKIE,
  checkSession,
  secondFactorsOf,
  type SessionCheck,
  type SessionRow,
  type SessionUser,
} from '../../modules/auth/sessions.ts';
import { AuthCache } from '../../modules/auth/auth-cache.ts';
import type { IdentityDeps } from '../../modules/auth/deps.ts';
import { createMailer } from '../../modules/mail/mailer.ts';
import { roleOf } from '../../modules/orgs/repo.ts';
import { writeDevNotice } from '../../log.ts';
import { createSecurityEvents } from '../../modules/security-events/service.ts';
import { checkToken, type TokenCheck, type TokenRow } from '../../modules/tokens/repo.ts';

export type AuthContext =
  | { via: 'session'; user: SessionUser; session: SessionRow }
  | { via: 'token'; user: SessionUser; token: TokenRow };

declare module 'fastify' {
  interface FastifyInstance {
    /** Mailer, security events and config for identity routes (set by the session plugin). */
    identity: IdentityDeps;
    /** "METHOD /url" → declared access, for the route-coverage test and docs. */
    routeAccess: Map<string, Access>;
  }
  interface FastifyContextConfig {
    /** Who may call this route (src/modules/auth/permissions.ts). Every route declares it. */
    access?: Access;
    /** true: a session still waiting for its second factor may call this route (finishing sign-in). */
    secondFactorStep?: boolean;
    /**
     * true: a signed-out caller asking with `?probe=1` reaches the handler (which answers 204)
     * instead of a 401: the web app's session probe, where "nobody" is an answer, not a failure.
     */
    signedOutProbe?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    /** Set on org-scoped routes once membership (or the token's org) is established. */
    org: { id: string; role: OrgRole | null } | null;
  }
}

export interface SessionPluginOptions {
  config: ResolvedConfig;
  db: Database;
}

export const cookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const;

/** Throws unless the request is signed in; returns the user. */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.auth) throw new AppError('unauthorized');
  return request.auth.user;
}

/** Throws unless the request comes with a session cookie (not a token). */
export function currentSession(request: FastifyRequest): { user: SessionUser; session: SessionRow } {
  if (request.auth?.via !== 'session') throw new AppError('unauthorized');
  return request.auth;
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions);
}

/** A successful lookup's copy for the authentication cache (failures are never kept). */
function copySessionCheck(check: SessionCheck): SessionCheck | undefined {
  return check.ok ? { ...check, session: { ...check.session }, user: { ...check.user } } : undefined;
}

function copyTokenCheck(check: TokenCheck): TokenCheck | undefined {
  return check.ok
    ? { ...check, token: { ...check.token, scopes: [...check.token.scopes] }, user: { ...check.user } }
    : undefined;
}

function clientOf(request: FastifyRequest) {
  return { ip: request.ip, requestId: request.id };
}

/**
 * Authentication (session cookie or Bearer API token) and the access check every route
 * declares. Deny by default (ASVS 8.2.1): a route without `config.access` cannot be registered.
 */
async function sessionPlugin(app: FastifyInstance, options: SessionPluginOptions): Promise<void> {
  const { config, db } = options;
  const logger = app.log as unknown as IdentityDeps['logger'];
  const identity: IdentityDeps = {
    config,
    db,
    logger,
    mailer: createMailer(config, logger),
    events: createSecurityEvents(db, logger, config.appSecret),
    devNotice: writeDevNotice,
  };
  const events = identity.events;
  const cache = new AuthCache(db);
  app.decorate('identity', identity);
  app.addHook('onClose', async () => {
    await identity.mailer.close();
    await cache.close();
  });
  if (!app.hasDecorator('parseCookie')) await app.register(cookie);
  app.decorateRequest('auth', null);
  app.decorateRequest('org', null);

  const routeAccess = new Map<string, Access>();
  app.decorate('routeAccess', routeAccess);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access !== undefined) {
      for (const method of [route.method].flat())
        routeAccess.set(`${String(method).toUpperCase()} ${route.url}`, access);
    }
    const name = `${[route.method].flat().join(',')} ${route.url}`;
    // Deny by default at start-up: only test fixtures under /test/ may omit the declaration.
    if (access === undefined && route.url.startsWith('/test/')) return;
    if (access === undefined)
      throw new Error(
        `Route ${name} declares no access (public, signed-in or a permission); see docs/identity.md`,
      );
    if (typeof access === 'object' && isOrgPermission(access.permission) && !route.url.includes(':orgId')) {
      throw new Error(
        `Route ${name} needs ${access.permission}, an organisation permission, but has no :orgId parameter`,
      );
    }
  });

  // Public routes (and unknown ones, answered by the 404 handler) ignore credentials entirely,
  // so a stale cookie or another system's bearer token (metrics) cannot break them. A callback
  // hook, so that path costs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return done();
    authenticate(request, reply, access).then(() => done(), done);
  });

  /** Records why the request was refused (a security event), then refuses it. */
  async function denied(
    request: FastifyRequest,
    type: string,
    details: Record<string, unknown>,
    error: AppError,
  ): Promise<never> {
    await events.record({
      type,
      outcome: 'failure',
      userId: request.auth?.user.id,
      ...clientOf(request),
      details: { route: request.routeOptions.url, method: request.method, ...details },
    });
    throw error;
  }

  async function authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    access: Exclude<Access, 'public'>,
  ) {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const result = match?.[1]
        ? await cache.get('token', match[1], () => checkToken(db, match[1]!), copyTokenCheck)
        : { ok: false as const, reason: 'malformed' };
      // The holder of a once-valid secret learns why it stopped working; anything else is plain 401.
      if (!result.ok)
        return denied(
          request,
          'token.invalid',
          { reason: result.reason },
          new AppError(
            result.reason === 'expired'
              ? 'token_expired'
              : result.reason === 'revoked'
                ? 'token_revoked'
                : 'unauthorized',
          ),
        );
      request.auth = { via: 'token', user: result.user, token: result.token };
    } else {
      const raw = request.cookies[SESSION_COOKIE];
      if (raw) {
        const result = await cache.get('session', raw, () => checkSession(db, config, raw), copySessionCheck);
        if (result.ok) {
          request.auth = { via: 'session', user: result.user, session: result.session };
          if (result.session.second_factor_pending && !request.routeOptions.config.secondFactorStep)
            await holdUntilSecondFactor(request);
        } else {
          clearSessionCookie(reply);
          await events.record({
            type: 'session.rejected',
            outcome: 'failure',
            userId: result.userId,
            ...clientOf(request),
            details: { reason: result.reason },
          });
        }
      }
    }

    if (!request.auth) {
      const probing = (request.query as Record<string, unknown>).probe === '1';
      if (probing && request.routeOptions.config.signedOutProbe) return;
      return denied(request, 'authz.denied', { reason: 'not_signed_in' }, new AppError('unauthorized'));
    }
    if (access === 'signed-in') {
      if (request.auth.via !== 'session')
        return denied(request, 'authz.denied', { reason: 'token_not_allowed' }, new AppError('forbidden'));
      return;
    }
    if (access === 'token') {
      if (request.auth.via !== 'token')
        return denied(
          request,
          'authz.denied',
          { reason: 'token_required' },
          new AppError('unauthorized', 'This route needs an API token (Authorization: Bearer vio_pat_…).'),
        );
      return;
    }
    const permission = access.permission;
    if (isOrgPermission(permission)) return checkOrg(request, permission);
    return checkPlatform(request, permission);
  }

  /**
   * A session opened by email for an account with a second factor reaches nothing but the routes
   * that finish signing in. Should the account have lost its factors meanwhile, nothing is left to
   * verify and the hold ends.
   */
  async function holdUntilSecondFactor(request: FastifyRequest): Promise<void> {
    const { user, session } = request.auth as Extract<AuthContext, { via: 'session' }>;
    if (await secondFactorsOf(db, user))
      return denied(
        request,
        'authz.denied',
        { reason: 'second_factor_pending' },
        new AppError('second_factor_required'),
      );
    await db.kysely
      .updateTable('sessions')
      .set({ second_factor_pending: false })
      .where('id', '=', session.id)
      .execute();
    session.second_factor_pending = false;
  }

  async function checkOrg(request: FastifyRequest, permission: OrgPermission): Promise<void> {
    const orgId = (request.params as { orgId?: string }).orgId ?? '';
    const auth = request.auth!;
    if (auth.via === 'token') {
      if (auth.token.org_id !== orgId)
        return denied(
          request,
          'authz.denied',
          { reason: 'other_org', permission },
          new AppError('not_found'),
        );
      if (!auth.token.scopes.includes(permission))
        return denied(
          request,
          'authz.denied',
          { reason: 'scope', permission },
          new AppError('insufficient_scope'),
        );
      const member = await roleOf(db, orgId, auth.user.id);
      if (!member || !orgRoleCan(member, permission))
        return denied(
          request,
          'authz.denied',
          { reason: 'token_owner_lost_role', permission },
          new AppError('not_found'),
        );
      request.org = { id: orgId, role: member };
      return;
    }
    const role = /^[0-9a-f-]{36}$/i.test(orgId) ? await roleOf(db, orgId, auth.user.id) : undefined;
    // Not a member: the organisation does not exist for this caller (GitLab convention, ASVS 8.2.2).
    if (!role)
      return denied(request, 'authz.denied', { reason: 'not_member', permission }, new AppError('not_found'));
    if (!orgRoleCan(role, permission))
      return denied(request, 'authz.denied', { reason: 'role', role, permission }, new AppError('forbidden'));
    request.org = { id: orgId, role };
  }

  async function checkPlatform(request: FastifyRequest, permission: PlatformPermission): Promise<void> {
    const auth = request.auth!;
    if (auth.via !== 'session' || !platformRoleCan(auth.user.platform_role, permission)) {
      return denied(request, 'authz.denied', { reason: 'not_staff', permission }, new AppError('not_found'));
    }
    const stepUpMs = config.staffStepUpHours * 3600_000;
    // ASVS 6.3.3: staff reach nothing on an email sign-in alone.
    if (!auth.session.mfa_at || Date.now() - auth.session.mfa_at.getTime() > stepUpMs) {
      return denied(
        request,
        'authz.denied',
        { reason: 'mfa_step_up', permission },
        new AppError('mfa_required'),
      );
    }
  }
}

export default fp(sessionPlugin, { name: 'vioscan-session', fastify: '5.x' });
