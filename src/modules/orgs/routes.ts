import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { currentUser } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { auditSettingsChange } from '../audit/settings.ts';
import { normalizeEmail } from '../auth/email.ts';
import { requirePermission } from '../auth/permissions.ts';
import * as repo from './repo.ts';
import * as S from './schema.ts';

const tags = ['orgs'];
const present = (o: { id: string; name: string; created_at: Date; role?: string | null }) => ({
  id: o.id,
  name: o.name,
  createdAt: o.created_at.toISOString(),
  ...(o.role !== undefined ? { role: o.role as 'owner' } : {}),
});

/** Organisations and their members; every org route needs an org permission, so non-members get 404. */
const orgRoutes: RouteModule = async (app, { db }) => {
  const { events } = app.identity;
  const ev = (request: { ip: string; id: string }) => ({ ip: request.ip, requestId: request.id });

  app.post(
    '/api/v1/orgs',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Create an organisation (you become its owner)',
        body: S.OrgBody,
        response: { 201: S.Org, ...errorResponses },
      },
    },
    async (request, reply) => {
      const org = await repo.createOrg(db, request.body.name, currentUser(request).id);
      return reply.status(201).send(present({ ...org, role: 'owner' }));
    },
  );

  app.get(
    '/api/v1/orgs',
    {
      config: { access: 'signed-in' },
      schema: { tags, summary: 'Your organisations', response: { 200: S.OrgList, ...errorResponses } },
    },
    async (request) => ({
      orgs: (await repo.orgsOf(db, currentUser(request).id)).map(present),
    }),
  );

  app.get(
    '/api/v1/orgs/:orgId',
    {
      config: { access: requirePermission('org:read') },
      schema: {
        tags,
        summary: 'One organisation',
        params: S.OrgParams,
        response: { 200: S.Org, ...errorResponses },
      },
    },
    async (request) =>
      present({ ...(await repo.getOrg(db, request.params.orgId)), role: request.org?.role ?? null }),
  );

  app.patch(
    '/api/v1/orgs/:orgId',
    {
      config: { access: requirePermission('org:write') },
      schema: {
        tags,
        summary: 'Rename an organisation',
        params: S.OrgParams,
        body: S.OrgBody,
        response: { 200: S.Org, ...errorResponses },
      },
    },
    async (request) => present(await repo.renameOrg(db, request.params.orgId, request.body.name)),
  );

  app.get(
    '/api/v1/orgs/:orgId/members',
    {
      config: { access: requirePermission('members:read') },
      schema: {
        tags,
        summary: 'Members and their roles',
        params: S.OrgParams,
        response: { 200: S.MemberList, ...errorResponses },
      },
    },
    async (request) => ({
      members: (await repo.members(db, request.params.orgId)).map((m) => ({
        id: m.id,
        email: m.email,
        role: m.role,
        since: m.created_at.toISOString(),
      })),
    }),
  );

  app.put(
    '/api/v1/orgs/:orgId/members',
    {
      config: { access: requirePermission('members:write') },
      schema: {
        tags,
        summary: 'Add a member or change their role',
        params: S.OrgParams,
        body: S.MemberBody,
        response: { 200: S.Member, ...errorResponses },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      const email = normalizeEmail(request.body.email);
      // Only an owner makes (or unmakes) owners; admins manage everyone else.
      const change = await repo.setMemberRole(db, orgId, email, request.body.role, currentUser(request).id);
      if (change.outcome === 'forbidden') throw new AppError('forbidden');
      if (change.outcome === 'last_owner')
        throw new AppError('conflict', 'An organisation keeps at least one owner.');
      const { userId, previous } = change;
      await events.record({
        type: 'role.granted',
        outcome: 'success',
        userId,
        actorId: currentUser(request).id,
        ...ev(request),
        details: { orgId, role: request.body.role, previous },
      });
      await auditSettingsChange(db, request, 'org.member_role_changed', {
        orgId,
        targetType: 'user',
        targetId: userId,
        details: { role: request.body.role, previous },
      });
      return { id: userId, email, role: request.body.role, since: new Date().toISOString() };
    },
  );

  app.delete(
    '/api/v1/orgs/:orgId/members/:userId',
    {
      config: { access: requirePermission('members:write') },
      schema: {
        tags,
        summary: 'Remove a member',
        params: S.MemberParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId, userId } = request.params;
      const role = /^[0-9a-f-]{36}$/i.test(userId) ? await repo.roleOf(db, orgId, userId) : undefined;
      if (!role) throw new AppError('not_found');
      if (role === 'owner' && request.org?.role !== 'owner') throw new AppError('forbidden');
      const removed = await repo.removeMember(db, orgId, userId);
      if (removed === 'not_member') throw new AppError('not_found');
      if (removed === 'last_owner')
        throw new AppError('conflict', 'An organisation keeps at least one owner.');
      await events.record({
        type: 'role.revoked',
        outcome: 'success',
        userId,
        actorId: currentUser(request).id,
        ...ev(request),
        details: { orgId, role },
      });
      await auditSettingsChange(db, request, 'org.member_removed', {
        orgId,
        targetType: 'user',
        targetId: userId,
        details: { previous: role },
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/orgs/:orgId/leave',
    {
      // Every role reads the organisation, so every member may leave it; outsiders get 404.
      config: { access: requirePermission('org:read') },
      schema: {
        tags,
        summary: 'Leave an organisation (the last owner cannot)',
        params: S.OrgParams,
        body: S.LeaveBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgId } = request.params;
      // A token acts for an organisation, not for a person: leaving is the signed-in member's own act.
      if (request.auth?.via === 'token') throw new AppError('forbidden');
      const userId = currentUser(request).id;
      const role = request.org?.role;
      const removed = await repo.removeMember(db, orgId, userId);
      if (removed === 'not_member') throw new AppError('not_found');
      if (removed === 'last_owner')
        throw new AppError('conflict', 'An organisation keeps at least one owner.');
      await events.record({
        type: 'role.revoked',
        outcome: 'success',
        userId,
        actorId: userId,
        ...ev(request),
        details: { orgId, role: role ?? null, left: true },
      });
      await auditSettingsChange(db, request, 'org.member_left', {
        orgId,
        targetType: 'user',
        targetId: userId,
        details: { previous: role ?? null },
      });
      return reply.status(204).send(null);
    },
  );
};

export default orgRoutes;
