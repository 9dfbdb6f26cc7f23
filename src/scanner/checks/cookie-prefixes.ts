import { isSessionLike, parseSetCookie } from '../parse/set-cookie.ts';
import type { Check, FindingDraft } from '../types.ts';
import { quote, result, setCookieLines, worst } from './helpers.ts';

export const cookiePrefixes: Check = {
  id: 'cookie-prefixes',
  category: 'cookies',
  title: 'Cookie prefixes are used correctly',
  failureTitle: 'Cookie prefixes are broken or unused',
  description:
    '`__Host-` cookies must be Secure, have Path=/ and no Domain; `__Secure-` cookies must be Secure ' +
    '(RFC 6265bis §4.1.3). Browsers drop cookies that break these rules. Session-like cookies without ' +
    '`__Host-` are noted: the prefix stops subdomains and plain-HTTP pages overwriting them.',
  remediation: 'Name session cookies `__Host-…` and set them with `Secure; Path=/` and no Domain attribute.',
  references: ['https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#section-4.1.3'],
  requires: ['page'],
  outcomes: {
    'cookie-prefixes-host-invalid': 'A __Host- cookie lacks Secure, has a Domain, or Path is not /.',
    'cookie-prefixes-secure-invalid': 'A __Secure- cookie lacks Secure.',
    'cookie-prefixes-not-used': 'A session-like cookie does not use the __Host- prefix.',
    'cookie-prefixes-valid': 'Prefixed cookies follow the rules and session cookies use __Host-.',
    'cookie-prefixes-none-set': 'No cookies are set.',
  },
  run(a) {
    const lines = setCookieLines(a);
    if (lines.length === 0) return result('cookie-prefixes-none-set', 'pass', 'no Set-Cookie headers');
    const found: FindingDraft[] = [];
    for (const { line } of lines) {
      const c = parseSetCookie(line);
      const ev = `Set-Cookie ${quote(line)}`;
      // RFC 6265bis §5.6 step 22: prefix matching is case-insensitive.
      const lower = c.name.toLowerCase();
      if (lower.startsWith('__host-')) {
        const problems = [
          !c.secure && 'no Secure',
          c.domain && 'has Domain',
          c.path !== '/' && 'Path is not /',
        ].filter(Boolean);
        if (problems.length > 0) {
          found.push({
            outcome: 'cookie-prefixes-host-invalid',
            title: `__Host- cookie breaks the prefix rules (${problems.join(', ')})`,
            evidence: ev,
          });
        }
      } else if (lower.startsWith('__secure-')) {
        if (!c.secure) {
          found.push({
            outcome: 'cookie-prefixes-secure-invalid',
            title: '__Secure- cookie without Secure',
            evidence: ev,
          });
        }
      } else if (isSessionLike(c)) {
        found.push({
          outcome: 'cookie-prefixes-not-used',
          title: `Session-like cookie ${c.name.slice(0, 60)} does not use __Host-`,
          evidence: ev,
        });
      }
    }
    const order = Object.keys(cookiePrefixes.outcomes);
    const bad = worst(found, order, (o) => (o === 'cookie-prefixes-not-used' ? 'warn' : 'fail'));
    return bad ?? result('cookie-prefixes-valid', 'pass', `${lines.length} cookie(s) checked`);
  },
};
