import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { auditSettingsChange } from '../audit/settings.ts';
import { Type } from '@sinclair/typebox';
import { requirePermission } from '../auth/permissions.ts';
import { findingsCsv } from './csv.ts';
import { remediationTargets } from './due.ts';
import { checkTransition } from './policy.ts';
import { countFindings, presentFinding } from './present.ts';
import * as repo from './repo.ts';
import * as S from './schema.ts';

const tags = ['findings'];

/** The findings board: lifecycle, remediation deadlines, filters, counts and CSV export. */
const findingRoutes: RouteModule = async (app, { db }) => {
  const board = async (orgId: string, query: typeof S.BoardQuery.static) => {
    const now = new Date();
    const rows = await repo.listFindings(db, orgId, query);
    // Due state depends on the clock, so it is filtered here rather than in SQL.
    const all = rows.map((r) => presentFinding(r, now)).filter((f) => !query.due || f.due === query.due);
    return { all, counts: countFindings(all) };
  };

  app.get(
    '/api/v1/orgs/:orgId/findings',
    {
      config: { access: requirePermission('findings:read') },
      schema: {
        tags,
        summary: 'Findings board: filter by site, severity, status and due state; counts',
        params: S.OrgParams,
        querystring: S.BoardQuery,
        response: { 200: S.Board, ...errorResponses },
      },
    },
    async (request) => {
      const { all, counts } = await board(request.params.orgId, request.query);
      return { findings: all.slice(0, request.query.limit ?? 100), counts };
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/findings/export.csv',
    {
      config: { access: requirePermission('findings:read') },
      schema: {
        tags,
        summary:
          'The board (same filters) as CSV with each site named by name and URL; cells that a spreadsheet would run as formulas are quoted',
        params: S.OrgParams,
        querystring: S.BoardQuery,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { all } = await board(request.params.orgId, request.query);
      const sites = await db.kysely
        .selectFrom('sites')
        .select(['id', 'name', 'url'])
        .where('org_id', '=', request.params.orgId)
        .execute();
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="vioscan-findings.csv"')
        .send(findingsCsv(all, new Map(sites.map((site) => [site.id, site]))));
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/findings/:findingId',
    {
      config: { access: requirePermission('findings:read') },
      schema: {
        tags,
        summary: 'One finding',
        params: S.FindingParams,
        response: { 200: S.Finding, ...errorResponses },
      },
    },
    async (request) =>
      presentFinding(await repo.getFinding(db, request.params.orgId, request.params.findingId)),
  );

  app.patch(
    '/api/v1/orgs/:orgId/findings/:findingId',
    {
      config: { access: requirePermission('findings:write') },
      schema: {
        tags,
        summary: 'Acknowledge, accept the risk (reason and expiry), mark a false positive, or reopen',
        params: S.FindingParams,
        body: S.TransitionBody,
        response: { 200: S.Finding, ...errorResponses },
      },
    },
    async (request) => {
      const finding = await repo.getFinding(db, request.params.orgId, request.params.findingId);
      const accepted = checkTransition(finding.status, request.body.status, request.body);
      return presentFinding(
        await repo.setStatus(db, finding.id, finding.status, { status: request.body.status, ...accepted }),
      );
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/remediation-targets',
    {
      config: { access: requirePermission('findings:read') },
      schema: {
        tags,
        summary: 'Days to fix by severity',
        params: S.OrgParams,
        response: { 200: S.RemediationTargets, ...errorResponses },
      },
    },
    async (request) => {
      const org = await db.kysely
        .selectFrom('orgs')
        .select('remediation_days')
        .where('id', '=', request.params.orgId)
        .executeTakeFirstOrThrow();
      const t = remediationTargets(org.remediation_days);
      return { critical: t.critical!, high: t.high!, medium: t.medium!, low: t.low! };
    },
  );

  app.put(
    '/api/v1/orgs/:orgId/remediation-targets',
    {
      config: { access: requirePermission('org:write') },
      schema: {
        tags,
        summary: 'Set the days to fix by severity; due dates of existing findings follow',
        params: S.OrgParams,
        body: S.RemediationTargets,
        response: { 200: S.RemediationTargets, ...errorResponses },
      },
    },
    async (request) => {
      await repo.setRemediationDays(db, request.params.orgId, request.body);
      await auditSettingsChange(db, request, 'org.remediation_targets_changed', {
        orgId: request.params.orgId,
        targetType: 'org',
        targetId: request.params.orgId,
        details: { days: request.body },
      });
      return request.body;
    },
  );
};

export default findingRoutes;
