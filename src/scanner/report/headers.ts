/**
 * The final response's headers in the report (shown on demand, raw) and the strip of security headers
 * present or missing (as securityheaders.com shows at a glance). Header names and values come from the
 * scanned site: capped here, escaped by every renderer.
 */
import type { Headers, Report } from '../types.ts';

const MAX_HEADERS = 60;
const MAX_VALUES = 5;
const MAX_VALUE = 500;

export const SECURITY_HEADERS: readonly { name: string; label: string }[] = [
  { name: 'strict-transport-security', label: 'Strict-Transport-Security' },
  { name: 'content-security-policy', label: 'Content-Security-Policy' },
  { name: 'x-content-type-options', label: 'X-Content-Type-Options' },
  { name: 'x-frame-options', label: 'X-Frame-Options' },
  { name: 'referrer-policy', label: 'Referrer-Policy' },
  { name: 'permissions-policy', label: 'Permissions-Policy' },
  { name: 'cross-origin-opener-policy', label: 'Cross-Origin-Opener-Policy' },
  { name: 'cross-origin-resource-policy', label: 'Cross-Origin-Resource-Policy' },
  { name: 'cross-origin-embedder-policy', label: 'Cross-Origin-Embedder-Policy' },
];

const cap = (v: string) => (v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE - 1)}…` : v);

export function reportHeaders(headers: Headers): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers)
      .slice(0, MAX_HEADERS)
      .map(([name, values]) => [cap(name), values.slice(0, MAX_VALUES).map(cap)]),
  );
}

/** Each security header, present or not, in a fixed order; undefined when the report has no headers. */
export function headerStrip(report: Report): { label: string; present: boolean }[] | undefined {
  const h = report.responseHeaders;
  if (!h) return undefined;
  return SECURITY_HEADERS.map(({ name, label }) => ({ label, present: (h[name]?.length ?? 0) > 0 }));
}
