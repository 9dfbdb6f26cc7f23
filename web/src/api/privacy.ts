import { request, setCsrfToken } from './http.ts';
import { orgPath } from './orgs.ts';
import type {
  Consents,
  ConsentChange,
  Deleted,
  DeleteRequest,
  ExportList,
  ExportRequested,
  SiteList,
  SupportCreated,
  SupportMessageInput,
} from './privacy-types.ts';

/** The phrase the server's deletion flow asks to be typed (src/modules/privacy/deletion.ts). */
export const DELETE_CONFIRMATION = 'delete my account';

export const privacyApi = {
  consents: () => request<Consents>('GET', '/api/v1/account/consents'),
  setConsent: (kind: string, granted: boolean) =>
    request<Consents>('PUT', `/api/v1/account/consents/${encodeURIComponent(kind)}`, {
      granted,
    } satisfies ConsentChange),
  requestExport: () => request<ExportRequested>('POST', '/api/v1/account/exports', {}),
  exports: () => request<ExportList>('GET', '/api/v1/account/exports'),
  deleteAccount: async (confirm: string) => {
    const result = await request<Deleted>('POST', '/api/v1/account/delete', {
      confirm,
    } satisfies DeleteRequest);
    setCsrfToken(undefined);
    return result;
  },
  sendSupport: (message: SupportMessageInput) =>
    request<SupportCreated>('POST', '/api/v1/support/messages', message),
  sites: (orgId: string) => request<SiteList>('GET', orgPath(orgId, '/sites')),
};
