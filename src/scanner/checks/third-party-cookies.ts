import type { BrowserCookie, VisitArtefact, VisitKind } from '../browser/types.ts';
import { describeCookie, describeOwner, lifetimeDays, VISIT_LABEL } from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisits, passUnlessPartial, worst } from './helpers.ts';

const ID = 'third-party-cookies';
/** CNIL: cookies for audience measurement and tracking should not live longer than 13 months. */
const MAX_DAYS = 395;

interface Seen {
  cookie: BrowserCookie;
  visit: VisitArtefact;
  visits: VisitKind[];
  days: number | null;
}

export const thirdPartyCookies: Check = {
  id: ID,
  category: 'privacy',
  title: 'No third-party cookies',
  failureTitle: 'Third parties set cookies in visitors’ browsers',
  description:
    'Lists the cookies set on other sites’ domains during the visits (third party by registrable domain, ' +
    'public-suffix aware), with their lifetime and the response or script that set them. Observed with ' +
    'third-party cookies allowed, as Chrome does by default; a cookie Chromium refused to store (for example ' +
    'a third party’s cookie without `SameSite=None; Secure`) is still listed from the response, with ' +
    `Chromium’s reason. Cookies asking to live longer than 13 months (${MAX_DAYS} days, the CNIL’s limit for ` +
    'tracking cookies) are flagged.',
  remediation:
    'Remove the third-party embeds that set these cookies, or load them only after consent; ask the vendor ' +
    'for a cookieless mode where one exists.',
  references: [
    'https://www.cnil.fr/en/cookies-and-other-tracking-devices-cnil-publishes-new-guidelines',
    'https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/Third-party_cookies',
  ],
  requires: ['browser'],
  outcomes: {
    'third-party-cookies-long-lived': `A third-party cookie asks to live longer than ${MAX_DAYS} days (13 months).`,
    'third-party-cookies-set': 'Third parties set cookies during the visits.',
    'third-party-cookies-none': 'No third-party cookie was set in any visit.',
    'third-party-cookies-incomplete': 'A visit did not complete and no third-party cookie was found.',
    'third-party-cookies-not-observed': 'No browser visit was made.',
  },
  run(a) {
    const visits = browserVisits(a, ID);
    if (!Array.isArray(visits)) return visits;
    const byDomain = new Map<string, Map<string, Seen>>();
    for (const visit of visits) {
      for (const cookie of visit.cookies) {
        if (cookie.classification.party !== 'third') continue;
        const domain = cookie.classification.domain;
        const cookies = byDomain.get(domain) ?? new Map<string, Seen>();
        byDomain.set(domain, cookies);
        const key = `${cookie.name}\n${cookie.domain}\n${cookie.path}`;
        const seen = cookies.get(key);
        if (seen) seen.visits.push(visit.kind);
        else
          cookies.set(key, {
            cookie,
            visit,
            visits: [visit.kind],
            days: lifetimeDays(cookie, visit.startedAt),
          });
      }
    }
    const found: FindingDraft[] = [...byDomain.entries()].map(([domain, cookies]) => {
      const list = [...cookies.values()];
      const longest = Math.max(...list.map((s) => s.days ?? 0));
      const owner = describeOwner(list[0]!.cookie.classification);
      return {
        outcome: longest > MAX_DAYS ? 'third-party-cookies-long-lived' : 'third-party-cookies-set',
        title:
          `${list.length} cookie(s) set by third party ${owner}` +
          (longest > MAX_DAYS ? `, living up to ${longest} days` : ''),
        evidence: list
          .slice(0, 5)
          .map(
            (s) =>
              `${describeCookie(s.cookie, s.visit)}, seen ${s.visits.map((k) => VISIT_LABEL[k]).join(', ')}${blocked(s.cookie)}`,
          )
          .join('; '),
        remediation:
          `Remove what loads content from ${domain} (its embeds and scripts), or load it only after consent; ` +
          (longest > MAX_DAYS
            ? `if the cookies stay, ask ${domain} to keep them under 13 months.`
            : 'ask the vendor for a cookieless mode.'),
      };
    });
    found.sort((x, y) => Number(y.outcome.endsWith('long-lived')) - Number(x.outcome.endsWith('long-lived')));
    const bad = worst(found, Object.keys(thirdPartyCookies.outcomes), () => 'warn');
    return (
      bad ??
      passUnlessPartial(
        ID,
        visits,
        'third-party-cookies-none',
        `no third-party cookie in ${visits.length} visit(s)`,
      )
    );
  },
};

function blocked(cookie: BrowserCookie): string {
  return cookie.blockedReasons?.length
    ? ` (Chromium refused to store it: ${cookie.blockedReasons.slice(0, 3).join(', ')})`
    : '';
}
