/**
 * A failed scan or probe in plain language for the API and the app: a headline that says what
 * happened and what to check, with the scanner's own (already cleaned, see gather/tls-reason.ts)
 * message kept as `detail` for the curious. Codes are the scanner's GatherError codes.
 */
const HEADLINES: Record<string, string> = {
  dns_failed:
    'The site’s name could not be found in DNS. Check the spelling, and that the domain has an address record.',
  connect_failed: 'The site did not accept a connection. Check that the server is up and the port is right.',
  timeout: 'The site did not answer in time. It may be down, slow, or behind a firewall that drops requests.',
  tls_failed:
    'The secure connection (HTTPS) to the site failed. See the details for the certificate or TLS problem.',
  http_error: 'The site answered with something that is not valid HTTP.',
  too_many_redirects: 'The site redirects too many times (or in a loop).',
  target_not_allowed:
    'This address may not be scanned: private, loopback and internal addresses are refused.',
  invalid_url: 'This is not a web address VIOscan can scan.',
  scan_error: 'The scan could not be completed. Try again; if it keeps failing, contact support.',
};
const FALLBACK = 'The site could not be scanned. See the details for what went wrong.';

export interface PlainError {
  code: string;
  message: string;
  detail: string;
}

export function explainScanError(error: { code: string; message: string }): PlainError {
  return { code: error.code, message: HEADLINES[error.code] ?? FALLBACK, detail: error.message };
}
