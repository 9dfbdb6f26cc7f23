import { isSessionLike, parseSetCookie } from '../parse/set-cookie.ts';
import type { Check, FindingDraft } from '../types.ts';
import { quote, result, setCookieLines, worst } from './helpers.ts';

export const cookieFlags: Check = {
  id: 'cookie-flags',
  category: 'cookies',
  title: 'Cookies use Secure, HttpOnly and SameSite',
  failureTitle: 'Cookies are missing security flags',
  description:
    'Checks every cookie set by the page and its redirects: Secure on all cookies, HttpOnly on session-like ' +
    'cookies (names with sess, sid, auth, token, csrf, …), and an explicit valid SameSite.',
  remediation:
    'Set cookies with `Secure; HttpOnly; SameSite=Lax` (Strict where possible); session cookies must never be ' +
    'readable by JavaScript.',
  references: [
    'https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis',
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/Cookies',
  ],
  requires: ['page'],
  outcomes: {
    'cookie-flags-session-missing-secure': 'A session-like cookie lacks Secure.',
    'cookie-flags-session-missing-httponly': 'A session-like cookie lacks HttpOnly.',
    'cookie-flags-missing-secure': 'A cookie lacks Secure.',
    'cookie-flags-samesite-none-insecure': 'SameSite=None without Secure (browsers reject the cookie).',
    'cookie-flags-samesite-invalid': 'SameSite has an unrecognised value.',
    'cookie-flags-samesite-missing':
      'A cookie has no SameSite attribute (browsers default to Lax, older ones to None).',
    'cookie-flags-secure': 'All cookies are Secure, session cookies HttpOnly, all with SameSite.',
    'cookie-flags-none-set': 'No cookies are set.',
  },
  run(a) {
    const lines = setCookieLines(a);
    if (lines.length === 0) return result('cookie-flags-none-set', 'pass', 'no Set-Cookie headers');
    const found: FindingDraft[] = [];
    for (const { line } of lines) {
      const c = parseSetCookie(line);
      if (!c.valid) continue;
      const session = isSessionLike(c);
      const name = quote(c.name, 60);
      const add = (outcome: string, title: string) =>
        found.push({
          outcome,
          title: `${title}: ${c.name.slice(0, 60)}`,
          evidence: `Set-Cookie ${name}: ${quote(line)}`,
        });
      if (!c.secure) {
        add(
          session ? 'cookie-flags-session-missing-secure' : 'cookie-flags-missing-secure',
          'Cookie without Secure',
        );
      }
      if (session && !c.httpOnly)
        add('cookie-flags-session-missing-httponly', 'Session cookie without HttpOnly');
      if (c.sameSite === 'none' && !c.secure)
        add('cookie-flags-samesite-none-insecure', 'SameSite=None without Secure');
      else if (c.sameSiteRaw !== undefined && c.sameSite === undefined) {
        add('cookie-flags-samesite-invalid', 'Cookie with invalid SameSite');
      } else if (c.sameSiteRaw === undefined) add('cookie-flags-samesite-missing', 'Cookie without SameSite');
    }
    const order = Object.keys(cookieFlags.outcomes);
    const bad = worst(found, order, (o) => (o === 'cookie-flags-samesite-missing' ? 'warn' : 'fail'));
    return bad ?? result('cookie-flags-secure', 'pass', `${lines.length} cookie(s), all flagged`);
  },
};
