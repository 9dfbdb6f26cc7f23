import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { describeVerify, verifyAuditChain } from './service.ts';

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  action: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  hash: Type.String(),
});

/** The admin audit viewer: filters, newest first, and an on-demand chain verification. */
const auditRoutes: RouteModule = async (app, { db }) => {
  app.get(
    '/api/v1/admin/audit',
    {
      config: { access: requirePermission('staff:security') },
      schema: {
        tags: ['admin'],
        summary: 'Audit entries, newest first, filtered by action prefix, actor, target and time',
        querystring: Type.Object({
          action: Type.Optional(Type.String({ pattern: '^[a-z_.]{1,64}$' })),
          actorId: Type.Optional(Type.String({ format: 'uuid' })),
          targetId: Type.Optional(Type.String({ maxLength: 100 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: Type.Object({ entries: Type.Array(Entry) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      let query = db.kysely.selectFrom('audit_log').selectAll();
      if (q.action) query = query.where('action', 'like', `${q.action.replace(/_/g, '\\_')}%`);
      if (q.actorId) query = query.where('actor_id', '=', q.actorId);
      if (q.targetId) query = query.where('target_id', '=', q.targetId);
      if (q.from) query = query.where('at', '>=', new Date(q.from));
      if (q.to) query = query.where('at', '<', new Date(q.to));
      if (q.before) query = query.where('seq', '<', String(q.before));
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(q.limit ?? 50)
        .execute();
      return {
        entries: rows.map((r) => ({
          seq: Number(r.seq),
          at: r.at.toISOString(),
          action: r.action,
          actorId: r.actor_id,
          targetType: r.target_type,
          targetId: r.target_id,
          details: JSON.parse(r.details) as unknown,
          hash: r.hash,
        })),
      };
    },
  );

  app.get(
    '/api/v1/admin/audit/verify',
    {
      config: { access: requirePermission('staff:security') },
      schema: {
        tags: ['admin'],
        summary: 'Verify the whole audit chain now',
        response: { 200: Type.Object({ ok: Type.Boolean(), message: Type.String() }), ...errorResponses },
      },
    },
    async () => {
      const result = await verifyAuditChain(db);
      return { ok: result.ok, message: describeVerify(result) };
    },
  );
};

export default auditRoutes;
