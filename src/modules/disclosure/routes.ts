import { Type } from '@sinclair/typebox';
import { currentSession } from '../../http/plugins/session.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { NewReport, Report, ReportList, ReportParams, ReportQuery, Submitted, Triage } from './schema.ts';
import { disclosurePolicy, listReports, submitReport, triageReport } from './service.ts';
import { SECURITY_TXT_PATH, securityTxt } from './security-txt.ts';

const tags = ['disclosure'];

/** RFC 9116 security.txt, the disclosure policy, the account-free report form and the triage queue. */
const disclosureRoutes: RouteModule = async (app, { config, db }) => {
  const mailer = app.identity.mailer;

  app.get(
    SECURITY_TXT_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'RFC 9116 security.txt',
        produces: ['text/plain'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    // RFC 9116 §3: text/plain with an explicit UTF-8 charset.
    async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(await securityTxt(config)),
  );

  app.get(
    '/api/v1/disclosure/policy',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Vulnerability disclosure policy',
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async () => disclosurePolicy(config),
  );

  app.post(
    '/api/v1/disclosure/reports',
    {
      config: { access: 'public', rateLimit: { max: 5, timeWindow: 3_600_000 } },
      schema: {
        tags,
        summary:
          'Report a vulnerability (no account needed); an acknowledgement is mailed when an address is given',
        body: NewReport,
        response: { 202: Submitted, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await submitReport(db, mailer, config, request.body, request.ip)),
  );

  app.get(
    '/api/v1/admin/disclosure/reports',
    {
      config: { access: requirePermission('staff:security') },
      schema: {
        tags: ['admin'],
        summary: 'Triage queue, earliest due first',
        querystring: ReportQuery,
        response: { 200: ReportList, ...errorResponses },
      },
    },
    async (request) => ({ reports: await listReports(db, { status: request.query.status }) }),
  );

  app.patch(
    '/api/v1/admin/disclosure/reports/:reportId',
    {
      config: { access: requirePermission('staff:security') },
      schema: {
        tags: ['admin'],
        summary:
          'Triage a report: severity sets the due date from the remediation targets; the reporter is told',
        params: ReportParams,
        body: Triage,
        response: { 200: Report, ...errorResponses },
      },
    },
    async (request) => {
      const { user } = currentSession(request);
      return triageReport(
        db,
        mailer,
        { id: user.id, email: user.email, ip: request.ip },
        request.params.reportId,
        request.body,
      );
    },
  );
};

export default disclosureRoutes;
