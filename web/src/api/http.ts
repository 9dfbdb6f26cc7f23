import type { ErrorEnvelope } from './types.ts';

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

/**
 * Every API call goes through here: JSON in and out, the CSRF token on changes, and one error type
 * (the server envelope from docs/errors.md) so screens can show `error.message` as it is.
 */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
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
