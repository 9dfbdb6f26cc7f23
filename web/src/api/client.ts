import type {
  CodeRequest,
  Components,
  CurrentSession,
  PublicScan,
  PublicScanRequest,
  Readiness,
  ReportFormat,
  Revoked,
  SecurityPage,
  SessionList,
  SignedIn,
  SignInAccepted,
  SignInRequest,
  StatusDocument,
} from './types.ts';
import { ApiError, request, setCsrfToken } from './http.ts';

export { ApiError, setCsrfToken } from './http.ts';

export const api = {
  createPublicScan: (url: string) =>
    request<PublicScan>('POST', '/api/v1/public-scans', { url } satisfies PublicScanRequest),
  publicScan: (id: string) => request<PublicScan>('GET', `/api/v1/public-scans/${encodeURIComponent(id)}`),
  publicScanScreenshot: (id: string, visit: string) =>
    `/api/v1/public-scans/${encodeURIComponent(id)}/screenshots/${encodeURIComponent(visit)}`,
  publicScanDownload: (id: string, format: ReportFormat) =>
    `/api/v1/public-scans/${encodeURIComponent(id)}/report?format=${format}`,
  securityPage: () => request<SecurityPage>('GET', '/api/v1/security-page'),
  statusDocument: () => request<StatusDocument>('GET', '/status.json'),

  /** /readyz answers 503 with the failing components in details: both are a status to show. */
  readiness: async (): Promise<Readiness> => {
    try {
      return await request<Readiness>('GET', '/readyz');
    } catch (error) {
      const details =
        error instanceof ApiError ? (error.details as { components?: Components } | undefined) : undefined;
      if (error instanceof ApiError && error.status === 503 && details?.components)
        return { status: 'unavailable', components: details.components };
      throw error;
    }
  },

  signIn: (email: string) =>
    request<SignInAccepted>('POST', '/api/v1/auth/sign-in', {
      email,
      acceptTerms: true,
    } satisfies SignInRequest),
  signInCode: async (code: string) => {
    const result = await request<SignedIn>('POST', '/api/v1/auth/sign-in/code', {
      code,
    } satisfies CodeRequest);
    setCsrfToken(result.csrfToken);
    return result;
  },
  /** Who is signed in; undefined for nobody (the probe answers 204, not a 401 the browser would log). */
  session: async (): Promise<CurrentSession | undefined> => {
    const result = await request<CurrentSession | undefined>('GET', '/api/v1/auth/session?probe=1');
    setCsrfToken(result?.csrfToken);
    return result;
  },
  signOut: async () => {
    await request<void>('POST', '/api/v1/auth/sign-out', {});
    setCsrfToken(undefined);
  },
  sessions: () => request<SessionList>('GET', '/api/v1/auth/sessions'),
  revokeSession: (id: string) => request<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => request<Revoked>('POST', '/api/v1/auth/sessions/revoke-others', {}),
};
