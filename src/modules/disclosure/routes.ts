import { Type } from '@sinclair/typebox';
import { currentSession } from '../../http/plugins/session.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { requirePermission } from '../auth/permissions.ts';
import { disclosurePolicy, listReports, submitReport, triageReport } from './service.ts';
import { SECURITY_TXT_PATH, securityTxt } from './security-txt.ts';

const Severity = Type.Union([
  Type.Literal('critical'),
  Type.Literal('high'),
  Type.Literal('medium'),
  Type.Literal('low'),
  Type.Literal('info'),
]);
const Status = Type.Union([
  Type.Literal('new'),
  Type.Literal('triaged'),
  Type.Literal('fixing'),
  Type.Literal('resolved'),
  Type.Literal('rejected'),
]);
const Report = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  reporterEmail: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  severity: Type.Union([Severity, Type.Null()]),
  createdAt: Type.String(),
  triagedAt: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
});
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
        body: Type.Object({
          title: Type.String({ minLength: 3, maxLength: 200 }),
          description: Type.String({ minLength: 10, maxLength: 20_000 }),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
        }),
        response: { 202: Type.Object({ id: Type.String(), status: Type.Literal('new') }), ...errorResponses },
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
        querystring: Type.Object({ status: Type.Optional(Status) }),
        response: { 200: Type.Object({ reports: Type.Array(Report) }), ...errorResponses },
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
        params: Type.Object({ reportId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ status: Status, severity: Type.Optional(Severity) }),
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
