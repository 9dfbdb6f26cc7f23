/**
 * The one error catalogue (STYLE §17). docs/errors.md lists every code; a test keeps them in sync.
 * Messages are safe to show to any client: they never carry internal detail.
 */
export const errorCatalogue = {
  bad_request: { status: 400, message: 'The request is malformed.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  validation_failed: { status: 400, message: 'The request did not pass validation.' },
  unauthorized: { status: 401, message: 'Authentication is required.' },
  token_expired: { status: 401, message: 'The API token has expired; create a new one.' },
  token_revoked: { status: 401, message: 'The API token has been revoked; create a new one.' },
  forbidden: { status: 403, message: 'You are not allowed to do this.' },
  csrf_failed: { status: 403, message: 'Cross-site request refused.' },
  not_found: { status: 404, message: 'No such resource.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here.' },
  conflict: { status: 409, message: 'The request conflicts with the current state.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  request_timeout: { status: 408, message: 'The request took too long to arrive.' },
  uri_too_long: { status: 414, message: 'The request URL is too long.' },
  unsupported_media_type: { status: 415, message: 'Unsupported content type; send application/json.' },
  headers_too_large: { status: 431, message: 'The request headers are too large.' },
  rate_limited: { status: 429, message: 'Too many requests; retry later.' },
  target_not_allowed: { status: 422, message: 'This scan target is not allowed.' },
  // Identity and access (issue 4; docs/authentication.md).
  invalid_email: { status: 400, message: 'That is not a valid email address.' },
  sign_in_failed: { status: 401, message: 'That code is not right; check the latest email and try again.' },
  sign_in_expired: {
    status: 410,
    message: 'This sign-in code or link has expired or was already used; request a new one.',
  },
  sign_in_other_browser: {
    status: 403,
    message: 'Open the sign-in link in the browser where you asked for it, or enter the code there.',
  },
  reauth_required: { status: 401, message: 'Verify your identity again to do this.' },
  mfa_required: { status: 403, message: 'This needs a recent verification with your second factor.' },
  second_factor_required: {
    status: 401,
    message: 'Finish signing in: verify your second factor (authenticator code, recovery code or passkey).',
  },
  mfa_failed: { status: 401, message: 'The verification code is not right.' },
  mfa_enrollment_required: {
    status: 409,
    message: 'The account must enrol a second factor (TOTP or passkey) first.',
  },
  insufficient_scope: { status: 403, message: 'The API token does not have the scope this needs.' },
  email_in_use: { status: 409, message: 'Another account uses that email address.' },
  email_change_failed: {
    status: 401,
    message: 'That code is not right; check the mail sent to the new address.',
  },
  email_change_expired: {
    status: 410,
    message: 'No email change is waiting, or its code expired or ran out of tries; start again.',
  },
  too_many_attempts: { status: 429, message: 'Too many failed attempts; wait a while and try again.' },
  // Scanning as a service (issue 6; docs/service.md).
  quota_exceeded: {
    status: 402,
    message: 'Your plan does not allow more of this; upgrade or wait for the next month.',
  },
  site_not_verified: { status: 403, message: 'Verify ownership of this site first.' },
  verification_failed: {
    status: 422,
    message: 'The verification token was not found; check the record or file and try again.',
  },
  scan_finished: { status: 409, message: 'This scan has already finished.' },
  site_unreachable: {
    status: 422,
    message:
      'Neither https:// nor http:// answered at that address. Check it, or type the full address (https://…) to add the site anyway.',
  },
  // Trust and compliance (issue 7; docs/trust.md).
  consent_required: {
    status: 409,
    message: 'This consent is needed to use the service; delete the account to withdraw it.',
  },
  confirmation_required: { status: 400, message: 'Type the confirmation phrase exactly to confirm.' },
  export_not_ready: { status: 409, message: 'The export is still being prepared; try again shortly.' },
  export_expired: { status: 410, message: 'This export link has expired; request a new export.' },
  report_expired: {
    status: 410,
    message:
      'This report has expired: public reports are kept for an hour. Scan the site again for a new one.',
  },
  // Billing (docs/billing.md).
  billing_disabled: {
    status: 409,
    message: 'Billing is not enabled on this instance; every organisation is on the free plan.',
  },
  plan_unavailable: { status: 422, message: 'This plan cannot be bought on this instance.' },
  webhook_signature_invalid: {
    status: 400,
    message: 'The webhook signature is missing, wrong or outside the allowed time window.',
  },
  internal: { status: 500, message: 'Something went wrong on our side. It has been logged.' },
  unavailable: { status: 503, message: 'The service is temporarily unavailable; retry later.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
  }
}

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function envelope(code: ErrorCode, message?: string, details?: unknown): ErrorEnvelope {
  return {
    error: {
      code,
      message: message ?? errorCatalogue[code].message,
      ...(details === undefined ? {} : { details }),
    },
  };
}
