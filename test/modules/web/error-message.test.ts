import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../web/src/api/http.ts';
import { errorMessage } from '../../../web/src/components/errors.ts';

/** Issue 15 item 7: a throttled person is told how long to wait, from the server's retryAfterSeconds. */
describe('what the web app says about a refusal', () => {
  const refusal = (code: string, details?: unknown) => new ApiError(code, 'server words', 429, details);

  it('names the wait of a rate limit and of a failed-attempts block, in minutes', () => {
    expect(errorMessage(refusal('rate_limited', { retryAfterSeconds: 600 }))).toBe(
      'Too many requests: try again in 10 minutes.',
    );
    expect(errorMessage(refusal('too_many_attempts', { retryAfterSeconds: 30 }))).toBe(
      'Too many failed attempts: try again in 1 minute.',
    );
  });

  it('falls back to a plain instruction when the server gives no wait', () => {
    expect(errorMessage(refusal('too_many_attempts'))).toBe(
      'Too many failed attempts: wait a few minutes and try again.',
    );
  });

  it('names the field and the fix of a validation error', () => {
    const invalid = new ApiError('validation_failed', 'bad', 400, [
      { path: 'body.code', message: 'must be 6 digits' },
    ]);
    expect(errorMessage(invalid)).toBe('Code: must be 6 digits');
  });
});
