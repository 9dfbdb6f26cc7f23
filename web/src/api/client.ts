import type {
  CurrentSession,
  ErrorEnvelope,
  PublicScan,
  Readiness,
  ReportFormat,
  SecurityPage,
  SessionList,
  SignedIn,
  SignInAccepted,
  StatusDocument,
} from './types.ts';

/** An API error: the server's envelope code and message (docs/errors.md), or `network`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// The synchronizer token for session-authenticated changes (X-CSRF-Token), from sign-in or /session.
let csrfToken: string | undefined;
export const setCsrfToken = (token: string | undefined): void => {
  csrfToken = token;
};

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError('network', 'The server could not be reached. Check your connection and try again.', 0);
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const envelope = data as Partial<ErrorEnvelope> | undefined;
    throw new ApiError(
      envelope?.error?.code ?? 'internal',
      envelope?.error?.message ?? `The server answered ${response.status}.`,
      response.status,
      envelope?.error?.details,
    );
  }
  return data as T;
}

export const api = {
  createPublicScan: (url: string) => request<PublicScan>('POST', '/api/v1/public-scans', { url }),
  publicScan: (id: string) => request<PublicScan>('GET', `/api/v1/public-scans/${encodeURIComponent(id)}`),
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
        error instanceof ApiError ? (error.details as { components?: Record<string, string> }) : undefined;
      if (error instanceof ApiError && error.status === 503 && details?.components)
        return { status: 'unavailable', components: details.components };
      throw error;
    }
  },

  signIn: (email: string) =>
    request<SignInAccepted>('POST', '/api/v1/auth/sign-in', { email, acceptTerms: true }),
  signInCode: async (code: string) => {
    const result = await request<SignedIn>('POST', '/api/v1/auth/sign-in/code', { code });
    setCsrfToken(result.csrfToken);
    return result;
  },
  session: async () => {
    const result = await request<CurrentSession>('GET', '/api/v1/auth/session');
    setCsrfToken(result.csrfToken);
    return result;
  },
  signOut: async () => {
    await request<void>('POST', '/api/v1/auth/sign-out', {});
    setCsrfToken(undefined);
  },
  sessions: () => request<SessionList>('GET', '/api/v1/auth/sessions'),
  revokeSession: (id: string) => request<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => request<{ revoked: number }>('POST', '/api/v1/auth/sessions/revoke-others', {}),
};
