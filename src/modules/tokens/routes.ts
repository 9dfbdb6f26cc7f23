import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { currentSession } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { auditSettingsChange } from '../audit/settings.ts';
import { orgRoleCan, requirePermission } from '../auth/permissions.ts';
import { createToken, listTokens, revokeToken, tokenOrg } from './repo.ts';
import { Created, CreateBody, Params, Self, TokenList, TokenParams } from './schema.ts';

const tags = ['tokens'];

/** Org API tokens for the CLI and CI: scoped, shown once, stored as SHA-256, revocable. */
const tokenRoutes: RouteModule = async (app, { db }) => {
  const { events } = app.identity;

  app.post(
    '/api/v1/orgs/:orgId/tokens',
    {
      config: { access: requirePermission('tokens:write') },
      schema: {
        tags,
        summary: 'Create an API token (the secret is in this answer only)',
        params: Params,
        body: CreateBody,
        response: { 201: Created, ...errorResponses },
      },
    },
    async (request, reply) => {
      // Tokens are made in the browser, by a person: never by another token.
      const { user } = currentSession(request);
      const role = request.org?.role;
      if (!role || request.body.scopes.some((s) => !orgRoleCan(role, s)))
        throw new AppError('forbidden', 'A token cannot carry permissions its creator lacks.');
      const expiresAt = request.body.expiresInDays
        ? new Date(Date.now() + request.body.expiresInDays * 86_400_000)
        : null;
      const created = await createToken(db, {
        userId: user.id,
        orgId: request.params.orgId,
        name: request.body.name,
        scopes: request.body.scopes,
        expiresAt,
      });
      await events.record({
        type: 'token.created',
        outcome: 'success',
        userId: user.id,
        ip: request.ip,
        requestId: request.id,
        details: {
          orgId: request.params.orgId,
          tokenId: created.id,
          prefix: created.prefix,
          scopes: request.body.scopes,
        },
      });
      await auditSettingsChange(db, request, 'org.token_created', {
        orgId: request.params.orgId,
        targetType: 'api_token',
        targetId: created.id,
        details: {
          prefix: created.prefix,
          scopes: request.body.scopes,
          expiresAt: expiresAt?.toISOString() ?? null,
        },
      });
      return reply.status(201).send({
        id: created.id,
        token: created.token,
        prefix: created.prefix,
        scopes: request.body.scopes,
        expiresAt: expiresAt?.toISOString() ?? null,
      });
    },
  );

  // The CLI's `--remote` without `--org`: a token knows its organisation, so CI needs one secret only.
  app.get(
    '/api/v1/token',
    {
      config: { access: 'token' },
      schema: {
        tags,
        summary: 'The presented API token: its organisation, scopes and expiry (never its secret)',
        response: { 200: Self, ...errorResponses },
      },
    },
    async (request) => {
      if (request.auth?.via !== 'token') throw new AppError('unauthorized');
      const { token, user } = request.auth;
      const org = await tokenOrg(db, token.org_id, user.id);
      // An owner who left the organisation holds a token that can do nothing there any more.
      if (!org?.role)
        throw new AppError(
          'token_revoked',
          'The API token’s owner is no longer a member of its organisation.',
        );
      return {
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        orgId: org.id,
        orgName: org.name,
        scopes: token.scopes,
        expiresAt: token.expires_at?.toISOString() ?? null,
      };
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/tokens',
    {
      config: { access: requirePermission('tokens:read') },
      schema: {
        tags,
        summary: 'API tokens of the organisation (never their secrets)',
        params: Params,
        response: { 200: TokenList, ...errorResponses },
      },
    },
    async (request) => ({
      tokens: (await listTokens(db, request.params.orgId)).map((t) => ({
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        scopes: t.scopes.split(' '),
        createdAt: t.created_at.toISOString(),
        expiresAt: t.expires_at?.toISOString() ?? null,
        lastUsedAt: t.last_used_at?.toISOString() ?? null,
      })),
    }),
  );

  app.delete(
    '/api/v1/orgs/:orgId/tokens/:tokenId',
    {
      config: { access: requirePermission('tokens:write') },
      schema: {
        tags,
        summary: 'Revoke an API token',
        params: TokenParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, tokenId } = request.params;
      if (!/^[0-9a-f-]{36}$/i.test(tokenId) || !(await revokeToken(db, orgId, tokenId)))
        throw new AppError('not_found');
      await events.record({
        type: 'token.revoked',
        outcome: 'success',
        userId: request.auth?.user.id,
        ip: request.ip,
        requestId: request.id,
        details: { orgId, tokenId },
      });
      await auditSettingsChange(db, request, 'org.token_revoked', {
        orgId,
        targetType: 'api_token',
        targetId: tokenId,
      });
      return reply.status(204).send(null);
    },
  );
};

export default tokenRoutes;
