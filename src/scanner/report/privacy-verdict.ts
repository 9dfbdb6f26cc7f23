/**
 * The privacy report's verdict in a few plain sentences, read before any table: how many trackers
 * load before consent, how many keep loading after a rejection or with GPC on, and the worst of
 * what the page did. Pure (no Node APIs): the web app shows the same sentences as the renderers.
 */
import type { PrivacyReport } from '../types.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Companies whose tracker domains were contacted on the first visit, before any consent choice. */
export function trackersBeforeConsent(p: PrivacyReport): string[] {
  return [
    ...new Set(p.thirdParties.filter((t) => t.tracker && (t.requests.none ?? 0) > 0).map((t) => t.company)),
  ];
}

/** Companies still contacted after "reject all" (the reload after the rejection). */
export function trackersAfterReject(p: PrivacyReport): string[] {
  return [...new Set(p.consent.stillLoaded.map((s) => s.company))];
}

function consentClause(p: PrivacyReport): string | undefined {
  const c = p.consent;
  switch (c.result) {
    case 'not-run':
      return undefined;
    case 'no-banner':
      return 'no consent banner was found';
    case 'failed':
      return 'the consent banner could not be rejected';
    default: {
      const after = trackersAfterReject(p).length;
      return after === 0
        ? 'none after you reject'
        : `${after} ${after === 1 ? 'keeps' : 'keep'} loading after you reject`;
    }
  }
}

/** Each sentence ends with a full stop; none when the browser stage did not run. */
export function privacyVerdict(p: PrivacyReport): string[] {
  if (p.error) return [];
  const before = trackersBeforeConsent(p).length;
  const first =
    before === 0
      ? 'No tracker loads before consent'
      : `${plural(before, 'tracker loads', 'trackers load')} before consent`;
  const clause = consentClause(p);
  const out = [`${first}${clause ? `; ${clause}` : ''}.`];
  if (p.gpc && !p.gpc.honoured)
    out.push(
      `Global Privacy Control is ignored: ${plural(p.gpc.trackers.length, 'tracker is', 'trackers are')} still contacted and ${plural(p.gpc.trackingCookies.length, 'tracking cookie is', 'tracking cookies are')} set with it on.`,
    );
  const cookies = p.cookies.filter((c) => c.visit === 'none' && c.tracking).length;
  if (cookies > 0)
    out.push(`${plural(cookies, 'tracking cookie is', 'tracking cookies are')} set before consent.`);
  const scripts = new Set(p.fingerprinting.map((f) => f.script)).size;
  if (scripts > 0) out.push(`${plural(scripts, 'script fingerprints', 'scripts fingerprint')} the browser.`);
  const keys = p.keyLogging?.length ?? 0;
  if (keys > 0)
    out.push(
      `What a visitor types leaves the page before it is submitted (${plural(keys, 'case', 'cases')}).`,
    );
  return out;
}
