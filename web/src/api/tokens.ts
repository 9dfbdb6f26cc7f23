import { request } from './http.ts';
import { orgPath } from './orgs.ts';
import type { ApiTokenList, CreatedApiToken, NewApiToken } from './account-security-types.ts';

export const tokensApi = {
  list: (orgId: string) => request<ApiTokenList>('GET', orgPath(orgId, '/tokens')),
  create: (orgId: string, token: NewApiToken) =>
    request<CreatedApiToken>('POST', orgPath(orgId, '/tokens'), token),
  revoke: (orgId: string, tokenId: string) =>
    request<void>('DELETE', orgPath(orgId, `/tokens/${encodeURIComponent(tokenId)}`)),
};
