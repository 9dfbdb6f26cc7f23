import { isPreloadReady, parseHsts, PRELOAD_MIN_MAX_AGE } from '../parse/hsts.ts';
import type { Artefacts, Check } from '../types.ts';
import { finalResponse, headerValues, isHttpsUrl, quote, result } from './helpers.ts';

/** Six months: below this, Observatory and the preload list treat HSTS as too short-lived. */
const MIN_MAX_AGE = 15_768_000;

export const hsts: Check = {
  id: 'hsts',
  category: 'transport',
  title: 'Strict-Transport-Security is set',
  failureTitle: 'Strict-Transport-Security is missing or weak',
  description:
    'Checks the HSTS header on the HTTPS page: present and valid, max-age of at least six months, ' +
    'and whether it is ready for the browser preload list (one year, includeSubDomains, preload).',
  remediation:
    'Send `Strict-Transport-Security: max-age=63072000; includeSubDomains; preload` on every HTTPS response ' +
    '(start with a shorter max-age while you verify every subdomain has HTTPS), then submit to hstspreload.org.',
  references: ['https://www.rfc-editor.org/rfc/rfc6797', 'https://hstspreload.org/'],
  requires: ['page'],
  outcomes: {
    'hsts-not-https': 'The page is not served over HTTPS, so HSTS cannot be set.',
    'hsts-missing': 'No Strict-Transport-Security header.',
    'hsts-invalid': 'The header cannot be parsed (no valid max-age, or repeated directives).',
    'hsts-max-age-too-short': `max-age is below six months (${MIN_MAX_AGE} s).`,
    'hsts-preload-not-ready': 'The preload directive is present but the preload requirements are not met.',
    'hsts-enabled': 'Valid HSTS with max-age of at least six months.',
    'hsts-preload-ready': 'Valid HSTS meeting the preload list requirements.',
    'hsts-preloaded-header-weak':
      "The host is on Chromium's HSTS preload list but its header no longer meets the list's requirements (it may be removed).",
    'hsts-preloaded':
      "The host is on Chromium's HSTS preload list and its header still meets the list's requirements.",
  },
  run(a) {
    const final = finalResponse(a);
    if (!isHttpsUrl(final?.url)) {
      const ev = `final URL ${quote(final?.url ?? a.target)}`;
      return result('hsts-not-https', 'fail', ev, [
        { outcome: 'hsts-not-https', title: 'HSTS cannot be set without HTTPS', evidence: ev },
      ]);
    }
    const values = headerValues(final?.headers, 'strict-transport-security');
    const first = values[0];
    const preloaded = preloadedAs(a, final?.url);
    if (preloaded) {
      const parsed = first === undefined ? undefined : parseHsts(first);
      const ev = `${preloaded}; Strict-Transport-Security: ${first === undefined ? 'absent' : quote(first)}`;
      if (parsed && isPreloadReady(parsed)) return result('hsts-preloaded', 'pass', ev);
      return result('hsts-preloaded-header-weak', 'warn', ev, [
        {
          outcome: 'hsts-preloaded-header-weak',
          title: 'On the HSTS preload list, but the header no longer meets its requirements',
          evidence: ev,
        },
      ]);
    }
    if (first === undefined) {
      return result('hsts-missing', 'fail', 'no Strict-Transport-Security header', [
        { outcome: 'hsts-missing', title: 'Strict-Transport-Security is missing', evidence: 'header absent' },
      ]);
    }
    // RFC 6797 §8.1: a UA processes only the first header field.
    const parsed = parseHsts(first);
    const ev = `Strict-Transport-Security: ${quote(first)}`;
    if (!parsed.valid || parsed.maxAge === undefined) {
      return result('hsts-invalid', 'fail', `${ev} (${parsed.errors.join(', ')})`, [
        { outcome: 'hsts-invalid', title: 'Strict-Transport-Security is invalid', evidence: ev },
      ]);
    }
    if (parsed.maxAge < MIN_MAX_AGE) {
      return result('hsts-max-age-too-short', 'fail', ev, [
        {
          outcome: 'hsts-max-age-too-short',
          title: `HSTS max-age ${parsed.maxAge} is shorter than six months`,
          evidence: ev,
        },
      ]);
    }
    if (isPreloadReady(parsed)) {
      const listed = a.hstsPreload
        ? ` (not on the preload list dated ${a.hstsPreload.listDate}: submit it at hstspreload.org)`
        : '';
      return result('hsts-preload-ready', 'pass', `${ev}${listed}`);
    }
    if (parsed.preload) {
      const missing = [
        !parsed.includeSubDomains && 'includeSubDomains',
        parsed.maxAge < PRELOAD_MIN_MAX_AGE && `max-age ≥ ${PRELOAD_MIN_MAX_AGE}`,
      ].filter(Boolean);
      return result('hsts-preload-not-ready', 'warn', ev, [
        {
          outcome: 'hsts-preload-not-ready',
          title: `HSTS asks for preload but lacks ${missing.join(' and ')}`,
          evidence: ev,
        },
      ]);
    }
    return result('hsts-enabled', 'pass', ev);
  },
};

/** "host is on Chromium's HSTS preload list …" when the final page's host is covered. */
function preloadedAs(a: Artefacts, finalUrl: string | undefined): string | undefined {
  const host = finalUrl && URL.canParse(finalUrl) ? new URL(finalUrl).hostname : undefined;
  const found = a.hstsPreload?.hosts.find((h) => h.host === host)?.entry;
  if (!found || !a.hstsPreload) return undefined;
  const via = found.name === host ? '' : ` through ${quote(found.name)} with include_subdomains`;
  return `${quote(host ?? '')} is on Chromium's HSTS preload list (dated ${a.hstsPreload.listDate})${via}`;
}
