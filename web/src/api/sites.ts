import { request } from './http.ts';
import { orgPath } from './orgs.ts';
import type {
  ScheduleBody,
  Site,
  SiteBody,
  SiteList,
  SitePatch,
  ThirdPartyHistory,
  VerificationMethod,
  VerifyBody,
} from './service-types.ts';

const sitePath = (orgId: string, siteId: string, rest = '') =>
  orgPath(orgId, `/sites/${encodeURIComponent(siteId)}${rest}`);

export const sitesApi = {
  list: (orgId: string) => request<SiteList>('GET', orgPath(orgId, '/sites')),
  get: (orgId: string, siteId: string) => request<Site>('GET', sitePath(orgId, siteId)),
  create: (orgId: string, url: string, name?: string) =>
    request<Site>('POST', orgPath(orgId, '/sites'), { url, ...(name ? { name } : {}) } satisfies SiteBody),
  update: (orgId: string, siteId: string, change: SitePatch) =>
    request<Site>('PATCH', sitePath(orgId, siteId), change satisfies SitePatch),
  remove: (orgId: string, siteId: string) => request<void>('DELETE', sitePath(orgId, siteId)),
  verify: (orgId: string, siteId: string, method: VerificationMethod) =>
    request<Site>('POST', sitePath(orgId, siteId, '/verify'), { method } satisfies VerifyBody),
  thirdParties: (orgId: string, siteId: string) =>
    request<ThirdPartyHistory>('GET', sitePath(orgId, siteId, '/third-parties')),
  setSchedule: (orgId: string, siteId: string, schedule: string | null) =>
    request<Site>('PUT', sitePath(orgId, siteId, '/schedule'), { schedule } satisfies ScheduleBody),
};

/**
 * What the server said when a site was added (a bare host taken as http://, and why), kept for the
 * site page the form navigates to; read once.
 */
const notices = new Map<string, string>();
export const keepSiteNotice = (siteId: string, notice: string | undefined): void => {
  if (notice) notices.set(siteId, notice);
};
export const takeSiteNotice = (siteId: string): string | undefined => {
  const notice = notices.get(siteId);
  notices.delete(siteId);
  return notice;
};
