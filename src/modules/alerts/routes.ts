import { randomBytes, randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { AlertType } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { currentUser } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import { auditSettingsChange } from '../audit/settings.ts';
import { checkTarget } from '../../scanner/gather/guard.ts';
import { requirePermission } from '../auth/permissions.ts';
import { ALERT_TYPES } from './events.ts';
import { sendTestEvent } from './webhook-test.ts';
import * as S from './schema.ts';

const tags = ['alerts'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Webhooks (HMAC-signed, retried, logged) and each member's email preferences (docs/service.md#alerts). */
const alertRoutes: RouteModule = async (app, { db, config }) => {
  const hookOf = async (orgId: string, webhookId: string) => {
    const hook = UUID.test(webhookId)
      ? await db.kysely
          .selectFrom('webhooks')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', '=', webhookId)
          .executeTakeFirst()
      : undefined;
    if (!hook) throw new AppError('not_found');
    return hook;
  };
  const present = (h: { id: string; url: string; events: string; created_at: Date }) => ({
    id: h.id,
    url: h.url,
    events: JSON.parse(h.events) as AlertType[],
    createdAt: h.created_at.toISOString(),
  });

  app.post(
    '/api/v1/orgs/:orgId/webhooks',
    {
      config: { access: requirePermission('org:write') },
      schema: {
        tags,
        summary: 'Add a webhook (its signing secret is in this answer only)',
        params: S.OrgParams,
        body: S.WebhookBody,
        response: { 201: S.Webhook, ...errorResponses },
      },
    },
    async (request, reply) => {
      // The same SSRF policy as scans, checked now and again at every delivery.
      const checked = await checkTarget(request.body.url, { allowPrivate: config.allowPrivateTargets });
      if (!checked.ok) {
        if (checked.error.code === 'invalid_url')
          throw new AppError('validation_failed', undefined, [
            { path: 'body.url', message: checked.error.message },
          ]);
        throw new AppError('target_not_allowed');
      }
      if (!checked.url.startsWith('https:') && !config.allowPrivateTargets)
        throw new AppError('validation_failed', undefined, [{ path: 'body.url', message: 'must be https' }]);
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const hook = await db.kysely
        .insertInto('webhooks')
        .values({
          id: randomUUID(),
          org_id: request.params.orgId,
          url: checked.url,
          secret,
          events: JSON.stringify(request.body.events ?? ALERT_TYPES),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // The host only: a path or query may carry a receiver's own secret.
      await auditSettingsChange(db, request, 'org.webhook_created', {
        orgId: request.params.orgId,
        targetType: 'webhook',
        targetId: hook.id,
        details: { host: new URL(hook.url).host, events: JSON.parse(hook.events) as string[] },
      });
      return reply.status(201).send({ ...present(hook), secret });
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/webhooks',
    {
      config: { access: requirePermission('org:write') },
      schema: {
        tags,
        summary: 'Webhooks (never their secrets)',
        params: S.OrgParams,
        response: { 200: S.WebhookList, ...errorResponses },
      },
    },
    async (request) => ({
      webhooks: (
        await db.kysely
          .selectFrom('webhooks')
          .selectAll()
          .where('org_id', '=', request.params.orgId)
          .orderBy('created_at')
          .execute()
      ).map(present),
    }),
  );

  app.delete(
    '/api/v1/orgs/:orgId/webhooks/:webhookId',
    {
      config: { access: requirePermission('org:write') },
      schema: {
        tags,
        summary: 'Remove a webhook',
        params: S.WebhookParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const hook = await hookOf(request.params.orgId, request.params.webhookId);
      await db.kysely.deleteFrom('webhooks').where('id', '=', hook.id).execute();
      await auditSettingsChange(db, request, 'org.webhook_deleted', {
        orgId: request.params.orgId,
        targetType: 'webhook',
        targetId: hook.id,
        details: { host: new URL(hook.url).host },
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/orgs/:orgId/webhooks/:webhookId/test',
    {
      config: { access: requirePermission('org:write'), rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Send a signed test event (type "test") now and report the receiver’s answer',
        params: S.WebhookParams,
        body: Type.Object({}),
        response: { 200: S.WebhookTestResult, ...errorResponses },
      },
    },
    async (request) => {
      const hook = await hookOf(request.params.orgId, request.params.webhookId);
      return sendTestEvent(hook, request.params.orgId, config.allowPrivateTargets);
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/webhooks/:webhookId/deliveries',
    {
      config: { access: requirePermission('org:write') },
      schema: {
        tags,
        summary: 'Delivery log: attempts, answers and errors',
        params: S.WebhookParams,
        response: { 200: S.DeliveryList, ...errorResponses },
      },
    },
    async (request) => {
      const hook = await hookOf(request.params.orgId, request.params.webhookId);
      const rows = await db.kysely
        .selectFrom('webhook_deliveries as d')
        .innerJoin('alert_events as e', 'e.id', 'd.event_id')
        .select([
          'd.id',
          'd.event_id',
          'e.type',
          'd.status',
          'd.attempts',
          'd.response_status',
          'd.error',
          'd.created_at',
          'd.delivered_at',
        ])
        .where('d.webhook_id', '=', hook.id)
        .orderBy('d.created_at', 'desc')
        .limit(100)
        .execute();
      return {
        deliveries: rows.map((r) => ({
          id: r.id,
          eventId: r.event_id,
          eventType: r.type,
          status: r.status,
          attempts: r.attempts,
          responseStatus: r.response_status,
          error: r.error,
          createdAt: r.created_at.toISOString(),
          deliveredAt: r.delivered_at?.toISOString() ?? null,
        })),
      };
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/notification-preferences',
    {
      config: { access: requirePermission('org:read') },
      schema: {
        tags,
        summary: 'Which alerts you get by email for this organisation',
        params: S.OrgParams,
        response: { 200: S.Preferences, ...errorResponses },
      },
    },
    async (request) => {
      const row = await db.kysely
        .selectFrom('notification_preferences')
        .selectAll()
        .where('user_id', '=', currentUser(request).id)
        .where('org_id', '=', request.params.orgId)
        .executeTakeFirst();
      return {
        emailEvents: row ? (JSON.parse(row.email_events) as AlertType[]) : ALERT_TYPES,
        digest: row?.digest ?? false,
      };
    },
  );

  app.put(
    '/api/v1/orgs/:orgId/notification-preferences',
    {
      config: { access: requirePermission('org:read') },
      schema: {
        tags,
        summary: 'Choose alert emails, or one daily digest instead',
        params: S.OrgParams,
        body: S.Preferences,
        response: { 200: S.Preferences, ...errorResponses },
      },
    },
    async (request) => {
      const values = { email_events: JSON.stringify(request.body.emailEvents), digest: request.body.digest };
      await db.kysely
        .insertInto('notification_preferences')
        .values({ user_id: currentUser(request).id, org_id: request.params.orgId, ...values })
        .onConflict((c) => c.columns(['user_id', 'org_id']).doUpdateSet(values))
        .execute();
      await auditSettingsChange(db, request, 'org.notification_preferences_changed', {
        orgId: request.params.orgId,
        targetType: 'user',
        targetId: currentUser(request).id,
        details: { emailEvents: request.body.emailEvents, digest: request.body.digest },
      });
      return request.body;
    },
  );
};

export default alertRoutes;
