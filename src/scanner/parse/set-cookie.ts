/**
 * Tolerant Set-Cookie parser following RFC 6265bis §5.6 (the algorithm UAs use). Never throws.
 * Attribute names are case-insensitive; the last occurrence of an attribute wins (§5.6 step 6).
 */

export type SameSite = 'strict' | 'lax' | 'none';

export interface SetCookie {
  name: string;
  value: string;
  secure: boolean;
  httpOnly: boolean;
  /** Raw SameSite value as sent, lower-cased; undefined when absent. */
  sameSiteRaw?: string;
  /** Recognised SameSite value; undefined when absent or unrecognised. */
  sameSite?: SameSite;
  domain?: string;
  path?: string;
  /** Seconds, when Max-Age is a valid integer (may be negative). */
  maxAge?: number;
  /** Expires as epoch milliseconds when parseable. */
  expires?: number;
  /** Whether the cookie line had a name=value pair at all. */
  valid: boolean;
}

export function parseSetCookie(line: string): SetCookie {
  const cookie: SetCookie = { name: '', value: '', secure: false, httpOnly: false, valid: false };
  if (typeof line !== 'string') return cookie;
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  // §5.6 step 3: a pair without "=" is a cookie with an empty name.
  cookie.name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  cookie.value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
  cookie.valid = cookie.name !== '' || cookie.value !== '';
  for (const attribute of attributes) {
    const aeq = attribute.indexOf('=');
    const key = (aeq === -1 ? attribute : attribute.slice(0, aeq)).trim().toLowerCase();
    const value = aeq === -1 ? '' : attribute.slice(aeq + 1).trim();
    switch (key) {
      case 'secure':
        cookie.secure = true;
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'samesite': {
        const v = value.toLowerCase();
        cookie.sameSiteRaw = v;
        cookie.sameSite = v === 'strict' || v === 'lax' || v === 'none' ? v : undefined;
        break;
      }
      case 'domain':
        cookie.domain = value.replace(/^\./, '').toLowerCase() || undefined;
        break;
      case 'path':
        cookie.path = value.startsWith('/') ? value : undefined;
        break;
      case 'max-age':
        if (/^-?\d{1,15}$/.test(value)) cookie.maxAge = Number(value);
        break;
      case 'expires': {
        const t = Date.parse(value);
        if (Number.isFinite(t)) cookie.expires = t;
        break;
      }
      default:
        break;
    }
  }
  return cookie;
}

/** Lifetime in seconds from `now`; undefined for a session cookie. Max-Age beats Expires (§5.6.2). */
export function cookieLifetimeSeconds(cookie: SetCookie, now: Date): number | undefined {
  if (cookie.maxAge !== undefined) return cookie.maxAge;
  if (cookie.expires !== undefined) return Math.round((cookie.expires - now.getTime()) / 1000);
  return undefined;
}

/** Names that usually carry a session or an anti-CSRF secret. */
const SESSION_LIKE = /sess|sid|auth|token|jwt|login|csrf|xsrf|remember|user_?id/i;

export function isSessionLike(cookie: SetCookie): boolean {
  return SESSION_LIKE.test(cookie.name);
}
