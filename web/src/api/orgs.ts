import { request } from './http.ts';
import type { Org, OrgBody, OrgList } from './types.ts';

export const orgsApi = {
  list: () => request<OrgList>('GET', '/api/v1/orgs'),
  create: (name: string) => request<Org>('POST', '/api/v1/orgs', { name } satisfies OrgBody),
};

/** `/api/v1/orgs/:orgId…` with the id encoded: every organisation-scoped call builds its path here. */
export const orgPath = (orgId: string, rest = ''): string =>
  `/api/v1/orgs/${encodeURIComponent(orgId)}${rest}`;
