import { currentSession } from '../../http/plugins/session.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { Created, InboxList, MessageList, MessageParams, NewMessage, ReplyBody } from './schema.ts';
import { inbox, listOwn, reply, sendMessage } from './service.ts';

/** Messages to support (sealed at rest) and the support role's inbox. */
const supportRoutes: RouteModule = async (app, { config, db }) => {
  const mailer = app.identity.mailer;

  app.post(
    '/api/v1/support/messages',
    {
      config: { access: 'signed-in', rateLimit: { max: 10, timeWindow: 3_600_000 } },
      schema: {
        tags: ['support'],
        summary: 'Send a message to support, optionally about a site or scan',
        body: NewMessage,
        response: { 201: Created, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sendMessage(db, config, currentSession(request).user.id, request.body)),
  );

  app.get(
    '/api/v1/support/messages',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['support'],
        summary: 'Your support conversations',
        response: { 200: MessageList, ...errorResponses },
      },
    },
    async (request) => ({ messages: await listOwn(db, config, currentSession(request).user.id) }),
  );

  app.get(
    '/api/v1/admin/support/messages',
    {
      config: { access: requirePermission('staff:support') },
      schema: {
        tags: ['admin'],
        summary:
          "Support inbox, newest first, with the account's current email and the site or scan each message is about",
        response: { 200: InboxList, ...errorResponses },
      },
    },
    async () => ({ messages: await inbox(db, config) }),
  );

  app.post(
    '/api/v1/admin/support/messages/:messageId/reply',
    {
      config: { access: requirePermission('staff:support') },
      schema: {
        tags: ['admin'],
        summary: 'Reply by email; the reply is stored sealed in the thread',
        params: MessageParams,
        body: ReplyBody,
        response: { 201: Created, ...errorResponses },
      },
    },
    async (request, res) => {
      const { user } = currentSession(request);
      return res
        .status(201)
        .send(
          await reply(
            db,
            config,
            mailer,
            { id: user.id, email: user.email, ip: request.ip },
            request.params.messageId,
            request.body.body,
          ),
        );
    },
  );
};

export default supportRoutes;
