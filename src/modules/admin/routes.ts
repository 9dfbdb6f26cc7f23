import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';
import { currentUser } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { platformRoles, requirePermission as permission } from '../auth/permissions.ts';
import { accessReview, endSessions, grantRole, offboard, revokeRole } from './service.ts';

const tags = ['staff'];
const Account = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  status: Type.String(),
  mfa: Type.Boolean(),
  lastActivity: Type.Union([Type.String(), Type.Null()]),
  idle: Type.Boolean(),
});
const Target = Type.Object({ email: Type.String({ maxLength: 1024 }) });
const RoleChange = Type.Object({ id: Type.String(), email: Type.String(), role: Type.String() });
const Role = Type.Union(platformRoles.map((r) => Type.Literal(r)));
const Review = Type.Object({
  accounts: Type.Array(Account),
  reviewId: Type.Union([Type.String(), Type.Null()]),
});

/** Staff API: the same access management as `vioscan admin`, behind staff roles and MFA step-up. */
const staffRoutes: RouteModule = async (app, { db }) => {
  const { events } = app.identity;
  const ctx = (actorId: string) => ({ db, events, actorId, via: 'api' as const });

  app.get(
    '/api/v1/staff/access-review',
    {
      config: { access: permission('staff:access') },
      schema: {
        tags,
        summary: 'Privileged accounts with roles, MFA and last activity',
        response: { 200: Review, ...errorResponses },
      },
    },
    async (request) => accessReview(ctx(currentUser(request).id)),
  );

  app.post(
    '/api/v1/staff/access-review',
    {
      config: { access: permission('staff:access') },
      schema: {
        tags,
        summary: 'Record an access review attestation',
        body: Type.Object({ statement: Type.String({ minLength: 1, maxLength: 2000 }) }),
        response: { 200: Review, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return accessReview(ctx(user.id), { reviewer: user.email, statement: request.body.statement });
    },
  );

  app.post(
    '/api/v1/staff/offboard',
    {
      config: { access: permission('staff:access') },
      schema: {
        tags,
        summary: 'Disable an account and end its sessions, tokens and staff role',
        body: Type.Object({ email: Type.String({ maxLength: 1024 }) }),
        response: {
          200: Type.Object({ id: Type.String(), sessions: Type.Integer(), tokens: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id, sessions, tokens } = await offboard(ctx(currentUser(request).id), request.body.email);
      return { id, sessions, tokens };
    },
  );
  app.post(
    '/api/v1/staff/grant',
    {
      config: { access: permission('staff:access') },
      schema: {
        tags,
        summary: 'Give an account a platform role (a staff role needs an enrolled second factor)',
        body: Type.Object({ email: Type.String({ maxLength: 1024 }), role: Role }),
        response: { 200: RoleChange, ...errorResponses },
      },
    },
    async (request) => grantRole(ctx(currentUser(request).id), request.body.email, request.body.role),
  );

  app.post(
    '/api/v1/staff/revoke',
    {
      config: { access: permission('staff:access') },
      schema: {
        tags,
        summary: 'Take the staff role away (back to user); ends every session of the account',
        body: Target,
        response: { 200: RoleChange, ...errorResponses },
      },
    },
    async (request) => revokeRole(ctx(currentUser(request).id), request.body.email),
  );

  app.post(
    '/api/v1/staff/end-sessions',
    {
      config: { access: permission('staff:access') },
      schema: {
        tags,
        summary: 'End every session of another account (it stays enabled)',
        body: Target,
        response: {
          200: Type.Object({ id: Type.String(), sessions: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => endSessions(ctx(currentUser(request).id), request.body.email),
  );
};

export default staffRoutes;
