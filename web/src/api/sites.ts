import { request } from './http.ts';
import { orgPath } from './orgs.ts';
import type {
  ScheduleBody,
  Site,
  SiteBody,
  SiteList,
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
  verify: (orgId: string, siteId: string, method: VerificationMethod) =>
    request<Site>('POST', sitePath(orgId, siteId, '/verify'), { method } satisfies VerifyBody),
  setSchedule: (orgId: string, siteId: string, schedule: string | null) =>
    request<Site>('PUT', sitePath(orgId, siteId, '/schedule'), { schedule } satisfies ScheduleBody),
};
