import { ApiError } from '../api/http.ts';

/** `body.url` → "Address"; the field names people see, per path the server reports. */
const FIELD_NAMES: Record<string, string> = {
  'body.url': 'Address',
  'body.name': 'Name',
  'body.email': 'Email address',
  'body.code': 'Code',
  'body.reason': 'Reason',
  'body.until': 'Accepted until',
  'querystring.actorEmail': 'Actor email',
};

const fieldName = (path: string): string => {
  const known = FIELD_NAMES[path];
  if (known) return known;
  const last = path.split('.').pop() ?? path;
  return last.charAt(0).toUpperCase() + last.slice(1);
};

/** Minutes to wait, from the server's `retryAfterSeconds` (rate limits), when it says. */
export function retryMinutes(error: unknown): number | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? Math.max(1, Math.ceil(seconds / 60)) : undefined;
}

/**
 * What to tell a person about a failed request: the field and the fix for validation errors, the
 * wait for a rate limit, the server's own words otherwise (its messages are written for people).
 * Never a bare "Something went wrong" for a refusal the person can act on.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'The request failed.';
  if (error.code === 'validation_failed' && Array.isArray(error.details) && error.details.length > 0)
    return (error.details as { path?: string; message?: string }[])
      .map((d) => `${fieldName(d.path ?? '')}: ${d.message ?? 'is not valid'}`)
      .join('; ');
  if (error.code === 'rate_limited' || error.code === 'too_many_attempts') {
    const what = error.code === 'rate_limited' ? 'Too many requests' : 'Too many failed attempts';
    const minutes = retryMinutes(error);
    return minutes
      ? `${what}: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
      : `${what}: wait a few minutes and try again.`;
  }
  return error.message;
}

/** A failure the person cannot fix themselves: the server's fault or the network. */
export const isUnexpected = (error: unknown): boolean =>
  !(error instanceof ApiError) || error.status >= 500 || error.status === 0;
