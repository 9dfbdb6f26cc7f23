import { sql } from 'kysely';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { EntryList, Filter, Verification } from './schema.ts';
import { describeVerify, verifyAuditChain } from './service.ts';

/** The admin audit viewer: filters, newest first, and an on-demand chain verification. */
const auditRoutes: RouteModule = async (app, { db }) => {
  app.get(
    '/api/v1/admin/audit',
    {
      config: { access: requirePermission('staff:security') },
      schema: {
        tags: ['admin'],
        summary: 'Audit entries, newest first, filtered by action prefix, actor, target and time',
        querystring: Filter,
        response: { 200: EntryList, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      let query = db.kysely
        .selectFrom('audit_log')
        .leftJoin('audit_personal as p', 'p.seq', 'audit_log.seq')
        // users.id is a uuid, the log's ids are text (not every actor or target is a user).
        .leftJoin('users as actor', (j) => j.on(sql`actor.id::text`, '=', sql.ref('audit_log.actor_id')))
        .leftJoin('users as target', (j) =>
          j
            .on(sql`target.id::text`, '=', sql.ref('audit_log.target_id'))
            .on('audit_log.target_type', '=', 'user'),
        )
        .selectAll('audit_log')
        .select([
          'actor.email as actor_email',
          'p.actor_email as recorded_email',
          'target.email as target_email',
        ]);
      if (q.action) query = query.where('action', 'like', `${q.action.replace(/_/g, '\\_')}%`);
      if (q.actorId) query = query.where('actor_id', '=', q.actorId);
      if (q.actorEmail) {
        const email = q.actorEmail.toLowerCase();
        query = query.where((eb) => eb.or([eb('actor.email', '=', email), eb('p.actor_email', '=', email)]));
      }
      if (q.targetId) query = query.where('target_id', '=', q.targetId);
      if (q.from) query = query.where('at', '>=', new Date(q.from));
      if (q.to) query = query.where('at', '<', new Date(q.to));
      if (q.before) query = query.where('audit_log.seq', '<', String(q.before));
      const rows = await query
        .orderBy('audit_log.seq', 'desc')
        .limit(q.limit ?? 50)
        .execute();
      return {
        entries: rows.map((r) => ({
          seq: Number(r.seq),
          at: r.at.toISOString(),
          action: r.action,
          actorId: r.actor_id,
          actorEmail: r.actor_email ?? r.recorded_email ?? null,
          targetType: r.target_type,
          targetId: r.target_id,
          targetEmail: r.target_email ?? null,
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
        response: { 200: Verification, ...errorResponses },
      },
    },
    async () => {
      const result = await verifyAuditChain(db);
      return { ok: result.ok, message: describeVerify(result) };
    },
  );
};

export default auditRoutes;
