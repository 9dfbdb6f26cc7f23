import type { FastifyRequest } from 'fastify';
import type { ScanSource } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { currentUser } from '../../http/plugins/session.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { Report } from '../../scanner/types.ts';
import { requirePermission } from '../auth/permissions.ts';
import { Type } from '@sinclair/typebox';
import { ReportFormatQuery } from '../public-scan/schema.ts';
import { usageSummary } from '../usage/quota.ts';
import { evidenceBundle } from './evidence-bundle.ts';
import { evidenceNames, readEvidence, sendEvidence } from './evidence.ts';
import { presentScan } from './present.ts';
import * as repo from './repo.ts';
import * as S from './schema.ts';
import { cancelScan, requestScan } from './service.ts';

const tags = ['scans'];

/**
 * Who started a scan: a session is the web app; a token is the CLI when `vioscan scan --remote`
 * says so (x-vioscan-client: cli), otherwise an API token (CI, scripts). A label, not a permission.
 */
function scanSource(request: FastifyRequest): ScanSource {
  if (request.auth?.via === 'session') return 'ui';
  return request.headers['x-vioscan-client'] === 'cli' ? 'cli' : 'api_token';
}
const types = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  sarif: 'application/sarif+json; charset=utf-8',
} as const;

/** Scans requested through the API (session or token with scans:write), run by the scan workers. */
const scanRoutes: RouteModule = async (app, { db, config, jobs }) => {
  app.post(
    '/api/v1/orgs/:orgId/scans',
    {
      config: { access: requirePermission('scans:write'), rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Queue a scan of a site (counts against the monthly scan quota)',
        params: S.OrgParams,
        body: S.ScanBody,
        response: { 202: S.Scan, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scan = await requestScan(db, config, jobs.boss, {
        orgId: request.params.orgId,
        siteId: request.body.siteId,
        active: request.body.active,
        browser: request.body.browser,
        source: scanSource(request),
        requestedBy: currentUser(request).id,
      });
      return reply.status(202).send(presentScan(scan, undefined, currentUser(request).email));
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/scans',
    {
      config: { access: requirePermission('scans:read') },
      schema: {
        tags,
        summary: 'Recent scans, newest first',
        params: S.OrgParams,
        querystring: S.ScanQuery,
        response: { 200: S.ScanList, ...errorResponses },
      },
    },
    async (request) => {
      const { siteId, status, limit = 20 } = request.query;
      const scans = await repo.listScans(db, request.params.orgId, { siteId, status, limit });
      const diffs = await repo.diffsOf(
        db,
        scans.filter((s) => s.status === 'succeeded').map((s) => s.id),
      );
      const emails = await repo.requesterEmails(db, scans);
      return {
        scans: scans.map((s) => presentScan(s, diffs.get(s.id), emails.get(s.requested_by ?? '') ?? null)),
      };
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/scans/:scanId',
    {
      config: { access: requirePermission('scans:read') },
      schema: {
        tags,
        summary: 'One scan: state, progress, grade and diff with the previous scan',
        params: S.ScanParams,
        response: { 200: S.Scan, ...errorResponses },
      },
    },
    async (request) => {
      const scan = await repo.getScan(db, request.params.orgId, request.params.scanId);
      const diff =
        scan.status === 'succeeded'
          ? ((await repo.diffsOf(db, [scan.id])).get(scan.id) ?? {
              new: 0,
              fixed: 0,
              regressed: 0,
              persisting: 0,
            })
          : undefined;
      const emails = await repo.requesterEmails(db, [scan]);
      return presentScan(
        scan,
        diff,
        emails.get(scan.requested_by ?? '') ?? null,
        await evidenceNames(db, scan.id),
      );
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/scans/:scanId/evidence/:name',
    {
      config: { access: requirePermission('scans:read') },
      schema: {
        tags,
        summary: 'One evidence file of a browser scan (a screenshot, a HAR, a cookie jar)',
        params: S.EvidenceParams,
        produces: ['image/jpeg', 'image/png', 'application/json', 'application/octet-stream'],
        response: { 200: S.EvidenceBytes, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scan = await repo.getScan(db, request.params.orgId, request.params.scanId);
      const file = await readEvidence(db, scan.id, request.params.name);
      if (!file) throw new AppError('not_found', 'This scan has no such evidence file.');
      return sendEvidence(reply, file, `vioscan-${scan.id}-${request.params.name}`);
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/scans/:scanId/evidence-bundle',
    {
      config: { access: requirePermission('scans:read') },
      schema: {
        tags,
        summary:
          'A browser scan’s evidence bundle: the JSON report, HARs, cookies, storage and screenshots, zipped',
        params: S.ScanParams,
        produces: ['application/zip'],
        response: { 200: S.EvidenceBytes, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scan = await repo.getScan(db, request.params.orgId, request.params.scanId);
      const zip = await evidenceBundle(db, scan);
      if (!zip) throw new AppError('not_found', 'This scan has no browser evidence.');
      return reply
        .type('application/zip')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="vioscan-${scan.id}-evidence.zip"`)
        .send(zip);
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/scans/:scanId/report',
    {
      config: { access: requirePermission('scans:read') },
      schema: {
        tags,
        summary: 'The stored report as JSON, Markdown, HTML or SARIF',
        params: S.ScanParams,
        querystring: ReportFormatQuery,
        produces: Object.values(types).map((t) => t.split(';')[0]!),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const scan = await repo.getScan(db, request.params.orgId, request.params.scanId);
      if (!scan.report) throw new AppError('not_found', 'This scan has no report (yet).');
      const format = request.query.format;
      // The renderers (and the check registry behind SARIF) load with the first download, not at start.
      const body =
        format === 'json'
          ? scan.report
          : (await import('../../scanner/report/index.ts')).render(JSON.parse(scan.report) as Report, format);
      return reply
        .type(types[format])
        .header('content-disposition', `attachment; filename="vioscan-${scan.id}.${format}"`)
        .send(body);
    },
  );

  app.post(
    '/api/v1/orgs/:orgId/scans/:scanId/cancel',
    {
      config: { access: requirePermission('scans:write') },
      schema: {
        tags,
        summary: 'Cancel a queued or running scan',
        params: S.ScanParams,
        body: Type.Object({}),
        response: { 200: S.Scan, ...errorResponses },
      },
    },
    async (request) => {
      const scan = await repo.getScan(db, request.params.orgId, request.params.scanId);
      const emails = await repo.requesterEmails(db, [scan]);
      return presentScan(
        await cancelScan(db, jobs.boss, scan),
        undefined,
        emails.get(scan.requested_by ?? '') ?? null,
      );
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/usage',
    {
      config: { access: requirePermission('org:read') },
      schema: {
        tags,
        summary: 'Plan limits and this month’s usage',
        params: S.OrgParams,
        response: { 200: S.Usage, ...errorResponses },
      },
    },
    async (request) => usageSummary(db, request.params.orgId),
  );
};

export default scanRoutes;
