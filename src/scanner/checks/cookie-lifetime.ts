import { cookieLifetimeSeconds, isSessionLike, parseSetCookie } from '../parse/set-cookie.ts';
import type { Check, FindingDraft } from '../types.ts';
import { quote, result, setCookieLines, worst } from './helpers.ts';

const DAY = 86_400;
/** RFC 6265bis §5.6.1/§5.6.2 caps cookie lifetimes at 400 days; asking for more is a sign of "forever" cookies. */
const MAX_DAYS = 400;
/** A login that never expires outlives stolen-device and shared-computer scenarios (ASVS 7.3.2). */
const SESSION_MAX_DAYS = 30;

export const cookieLifetime: Check = {
  id: 'cookie-lifetime',
  category: 'cookies',
  title: 'Cookies do not live too long',
  failureTitle: 'Cookies have very long lifetimes',
  description:
    `Flags cookies asking to live longer than ${MAX_DAYS} days, and session-like cookies persisting longer ` +
    `than ${SESSION_MAX_DAYS} days.`,
  remediation: `Give session cookies no Expires/Max-Age or at most ${SESSION_MAX_DAYS} days; keep other cookies under a year.`,
  references: ['https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-5.6.1'],
  requires: ['page'],
  outcomes: {
    'cookie-lifetime-session-too-long': `A session-like cookie persists longer than ${SESSION_MAX_DAYS} days.`,
    'cookie-lifetime-too-long': `A cookie asks to live longer than ${MAX_DAYS} days.`,
    'cookie-lifetime-reasonable': 'All cookie lifetimes are reasonable.',
    'cookie-lifetime-none-set': 'No cookies are set.',
  },
  run(a, context) {
    const lines = setCookieLines(a);
    if (lines.length === 0) return result('cookie-lifetime-none-set', 'pass', 'no Set-Cookie headers');
    const now = context?.now ?? new Date();
    const found: FindingDraft[] = [];
    for (const { line } of lines) {
      const c = parseSetCookie(line);
      const seconds = cookieLifetimeSeconds(c, now);
      if (seconds === undefined) continue;
      const days = Math.floor(seconds / DAY);
      const ev = `${days} days: Set-Cookie ${quote(line)}`;
      if (isSessionLike(c) && days > SESSION_MAX_DAYS) {
        found.push({
          outcome: 'cookie-lifetime-session-too-long',
          title: `Session cookie lives ${days} days`,
          evidence: ev,
        });
      } else if (days > MAX_DAYS) {
        found.push({ outcome: 'cookie-lifetime-too-long', title: `Cookie lives ${days} days`, evidence: ev });
      }
    }
    const bad = worst(found, Object.keys(cookieLifetime.outcomes), () => 'warn');
    return bad ?? result('cookie-lifetime-reasonable', 'pass', `${lines.length} cookie(s) checked`);
  },
};
