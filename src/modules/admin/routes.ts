import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';
import { currentUser } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { accessReview, offboard } from './service.ts';

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
      config: { access: requirePermission('staff:access') },
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
      config: { access: requirePermission('staff:access') },
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
      config: { access: requirePermission('staff:access') },
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
};

export default staffRoutes;
