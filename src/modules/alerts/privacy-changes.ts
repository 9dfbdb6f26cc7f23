/**
 * What a site owner must hear at once about privacy (issue 13), from two consecutive browser scans'
 * privacy summaries: a third party that was not there, trackers now loading before consent or after
 * "reject all", a cookie now set before consent. No baseline (the first browser scan, or one whose
 * browser stage failed) gives no alert: everything would be "new".
 */
import { trackersAfterReject, trackersBeforeConsent } from '../../scanner/report/privacy-verdict.ts';
import type { PrivacyReport } from '../../scanner/types.ts';

export interface PrivacyChanges {
  newThirdParties: { company: string; purpose: string; tracker: boolean }[];
  trackingBeforeConsent: string[];
  trackingAfterReject: string[];
  newCookiesBeforeConsent: { name: string; domain: string }[];
}

/** At most this many of each in an alert; the report has them all. */
const MAX_LISTED = 20;
const added = <T>(now: T[], before: T[], key: (x: T) => string) => {
  const seen = new Set(before.map(key));
  return now.filter((x) => !seen.has(key(x))).slice(0, MAX_LISTED);
};
/** A third party as the report groups it: one company with one purpose. */
export const thirdPartyKey = (t: { company: string; purpose: string }) => `${t.company}\n${t.purpose}`;
const cookie = (c: { name: string; domain: string }) => `${c.name}\n${c.domain}`;
const beforeConsentCookies = (p: PrivacyReport) =>
  p.cookies.filter((c) => c.visit === 'none').map((c) => ({ name: c.name, domain: c.domain }));

export function privacyChanges(
  previous: PrivacyReport | undefined,
  current: PrivacyReport | undefined,
): PrivacyChanges | undefined {
  if (!previous || previous.error || !current || current.error) return undefined;
  const changes: PrivacyChanges = {
    newThirdParties: added(current.thirdParties, previous.thirdParties, thirdPartyKey).map((t) => ({
      company: t.company,
      purpose: t.purpose,
      tracker: t.tracker,
    })),
    trackingBeforeConsent: added(trackersBeforeConsent(current), trackersBeforeConsent(previous), String),
    // Only when the rejection was tested both times: a banner that vanished is not "now tracking".
    trackingAfterReject:
      current.consent.result === 'not-run' || previous.consent.result === 'not-run'
        ? []
        : added(trackersAfterReject(current), trackersAfterReject(previous), String),
    newCookiesBeforeConsent: added(beforeConsentCookies(current), beforeConsentCookies(previous), cookie),
  };
  return Object.values(changes).some((list) => list.length > 0) ? changes : undefined;
}

/** The alert's lines, for mail and digests. Names come from the scanned page: plain text only. */
export function privacyChangeLines(changes: PrivacyChanges): string[] {
  const lines: string[] = [];
  for (const t of changes.newThirdParties)
    lines.push(`- New third party: ${t.company} (${t.purpose}${t.tracker ? ', tracker' : ''})`);
  if (changes.trackingBeforeConsent.length)
    lines.push(`- Now tracking before consent: ${changes.trackingBeforeConsent.join(', ')}`);
  if (changes.trackingAfterReject.length)
    lines.push(`- Now tracking after "reject all": ${changes.trackingAfterReject.join(', ')}`);
  for (const c of changes.newCookiesBeforeConsent)
    lines.push(`- New cookie before consent: ${c.name} on ${c.domain}`);
  return lines;
}
