import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { auditSettingsChange } from '../audit/settings.ts';
import { requirePermission } from '../auth/permissions.ts';
import { presentSite, type SiteRow } from './present.ts';
import * as repo from './repo.ts';
import * as S from './schema.ts';
import { createSite, updateSite, verifySite } from './service.ts';
import { thirdPartiesOverTime } from './third-parties.ts';
import { txtResolver } from './verify.ts';
import { validateSchedule } from '../schedules/cron.ts';
import { AppError } from '../../errors.ts';

const tags = ['sites'];

/** Sites of an organisation and their ownership verification (docs/service.md). */
const siteRoutes: RouteModule = async (app, { db, config }) => {
  const resolveTxt = txtResolver(config.verificationDnsServers);
  const withTrend = async (site: SiteRow) =>
    presentSite(site, (await repo.trends(db, [site.id])).get(site.id));

  app.post(
    '/api/v1/orgs/:orgId/sites',
    {
      config: { access: requirePermission('sites:write'), rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Add a site (counts against the plan’s site quota)',
        params: S.OrgParams,
        body: S.SiteBody,
        response: { 201: S.Site, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { site, notice } = await createSite(db, config, request.params.orgId, request.body);
      return reply.status(201).send({ ...presentSite(site), ...(notice && { notice }) });
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/sites',
    {
      config: { access: requirePermission('sites:read') },
      schema: {
        tags,
        summary: 'Sites with their latest grade and trend',
        params: S.OrgParams,
        response: { 200: S.SiteList, ...errorResponses },
      },
    },
    async (request) => {
      const sites = await repo.listSites(db, request.params.orgId);
      const trend = await repo.trends(
        db,
        sites.map((s) => s.id),
      );
      return { sites: sites.map((s) => presentSite(s, trend.get(s.id))) };
    },
  );

  app.get(
    '/api/v1/orgs/:orgId/sites/:siteId',
    {
      config: { access: requirePermission('sites:read') },
      schema: {
        tags,
        summary: 'One site, with verification instructions',
        params: S.SiteParams,
        response: { 200: S.Site, ...errorResponses },
      },
    },
    async (request) => withTrend(await repo.getSite(db, request.params.orgId, request.params.siteId)),
  );

  app.get(
    '/api/v1/orgs/:orgId/sites/:siteId/third-parties',
    {
      config: { access: requirePermission('sites:read') },
      schema: {
        tags,
        summary: 'Third parties over time: per recent browser scan, which appeared and which went away',
        params: S.SiteParams,
        response: { 200: S.ThirdPartyHistory, ...errorResponses },
      },
    },
    async (request) => {
      const site = await repo.getSite(db, request.params.orgId, request.params.siteId);
      return { scans: await thirdPartiesOverTime(db, site.id) };
    },
  );

  app.patch(
    '/api/v1/orgs/:orgId/sites/:siteId',
    {
      config: { access: requirePermission('sites:write'), rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Rename a site or change its address (a new host must be verified again)',
        params: S.SiteParams,
        body: S.SitePatch,
        response: { 200: S.Site, ...errorResponses },
      },
    },
    async (request) => {
      const site = await repo.getSite(db, request.params.orgId, request.params.siteId);
      const { site: updated, notice } = await updateSite(db, config, site, request.body);
      await auditSettingsChange(db, request, 'org.site_changed', {
        orgId: request.params.orgId,
        targetType: 'site',
        targetId: site.id,
        details: { host: updated.host, previousHost: site.host, renamed: request.body.name !== undefined },
      });
      return { ...(await withTrend(updated)), ...(notice && { notice }) };
    },
  );

  app.delete(
    '/api/v1/orgs/:orgId/sites/:siteId',
    {
      config: { access: requirePermission('sites:write') },
      schema: {
        tags,
        summary: 'Delete a site with its scans and findings',
        params: S.SiteParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const site = await repo.getSite(db, request.params.orgId, request.params.siteId);
      await repo.deleteSite(db, site.org_id, site.id);
      await auditSettingsChange(db, request, 'org.site_deleted', {
        orgId: request.params.orgId,
        targetType: 'site',
        targetId: site.id,
        details: { host: site.host },
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/orgs/:orgId/sites/:siteId/verify',
    {
      config: { access: requirePermission('sites:write'), rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'Check the DNS TXT record or the /.well-known/vioscan-verification file',
        params: S.SiteParams,
        body: S.VerifyBody,
        response: { 200: S.Site, ...errorResponses },
      },
    },
    async (request) => {
      const site = await repo.getSite(db, request.params.orgId, request.params.siteId);
      return withTrend(await verifySite(db, config, site, request.body.method, resolveTxt));
    },
  );

  app.put(
    '/api/v1/orgs/:orgId/sites/:siteId/schedule',
    {
      config: { access: requirePermission('sites:write') },
      schema: {
        tags,
        summary: 'Monitor a verified site on a schedule (daily, weekly or cron), or stop',
        params: S.SiteParams,
        body: S.ScheduleBody,
        response: { 200: S.Site, ...errorResponses },
      },
    },
    async (request) => {
      const site = await repo.getSite(db, request.params.orgId, request.params.siteId);
      const { schedule } = request.body;
      if (schedule !== null) {
        validateSchedule(schedule);
        // Monitoring runs unattended against the site: only for owners who proved it (issue 6).
        if (!site.verified_at) throw new AppError('site_not_verified');
      }
      const updated = await repo.setSchedule(db, site.id, schedule);
      await auditSettingsChange(db, request, 'org.schedule_changed', {
        orgId: request.params.orgId,
        targetType: 'site',
        targetId: site.id,
        details: { schedule, previous: site.schedule ?? null },
      });
      return withTrend(updated);
    },
  );
};

export default siteRoutes;
