import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors.ts';
import { clearSessionCookie, currentSession } from '../../http/plugins/session.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { recentlyVerified } from '../auth/sessions.ts';
import { listConsents, setConsent, type ConsentKind } from './consent.ts';
import { DELETE_CONFIRMATION, deleteAccount } from './deletion.ts';
import { downloadExport, listExports, requestExport } from './export.ts';
import {
  ConsentBody,
  ConsentParams,
  Consents,
  DeleteBody,
  Deleted,
  ExportList,
  ExportRequested,
} from './schema.ts';

const tags = ['account'];

/** The account's privacy settings: consents, data export, deletion. */
const accountPrivacyRoutes: RouteModule = async (app, { config, db }) => {
  app.get(
    '/api/v1/account/consents',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Consents given, with version and time, and their history',
        response: { 200: Consents, ...errorResponses },
      },
    },
    async (request) => listConsents(db, currentSession(request).user.id),
  );

  app.put(
    '/api/v1/account/consents/:kind',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Give or withdraw an optional consent',
        params: ConsentParams,
        body: ConsentBody,
        response: { 200: Consents, ...errorResponses },
      },
    },
    async (request) =>
      setConsent(
        db,
        currentSession(request).user.id,
        request.params.kind as ConsentKind,
        request.body.granted,
        request.ip,
      ),
  );

  app.post(
    '/api/v1/account/exports',
    {
      config: { access: 'signed-in', rateLimit: { max: 3, timeWindow: 3_600_000 } },
      schema: {
        tags,
        summary: 'Ask for a JSON archive of your data; a background job builds it behind an expiring link',
        body: Type.Object({}),
        response: { 202: ExportRequested, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await requestExport(db, currentSession(request).user.id, request.ip)),
  );

  app.get(
    '/api/v1/account/exports',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Your exports and their state (poll until ready), newest first',
        response: { 200: ExportList, ...errorResponses },
      },
    },
    async (request) => ({ exports: await listExports(db, currentSession(request).user.id) }),
  );

  app.get(
    '/api/v1/account/exports/:exportId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Download a built export while its link is valid',
        params: Type.Object({ exportId: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) }),
        produces: ['application/json'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const archive = await downloadExport(
        db,
        currentSession(request).user.id,
        request.params.exportId,
        request.query.token,
      );
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="vioscan-export.json"')
        .header('cache-control', 'no-store')
        .send(archive);
    },
  );

  app.post(
    '/api/v1/account/delete',
    {
      config: { access: 'signed-in', rateLimit: { max: 5, timeWindow: 3_600_000 } },
      schema: {
        tags,
        summary: `Delete your account: needs a sign-in or second-factor check in the last 20 minutes and confirm = "${DELETE_CONFIRMATION}"`,
        body: DeleteBody,
        response: { 200: Deleted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user, session } = currentSession(request);
      if (!recentlyVerified(session)) throw new AppError('reauth_required');
      if (request.body.confirm.trim().toLowerCase() !== DELETE_CONFIRMATION)
        throw new AppError('confirmation_required');
      const result = await deleteAccount(db, config, app.identity.mailer, user);
      clearSessionCookie(reply);
      reply.header('clear-site-data', '"cache", "cookies", "storage"');
      return { deleted: true as const, ...result };
    },
  );
};

export default accountPrivacyRoutes;
