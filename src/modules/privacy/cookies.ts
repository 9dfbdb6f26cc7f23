import type { ResolvedConfig } from '../../config/load.ts';

/**
 * Every cookie VIOscan sets, in one list. The code that sets them takes the names from here
 * (auth/sessions.ts, auth/sign-in.ts) and the cookie table on /security is built from it; a test
 * signs in and out and compares the Set-Cookie names actually sent with this list.
 * All are essential (ePrivacy art. 5(3): strictly necessary for the service asked for), HttpOnly,
 * Secure, SameSite=Lax and __Host- prefixed. There is no CSRF cookie (the synchronizer token travels
 * in the X-CSRF-Token header) and no preference cookie (theme and current organisation stay in
 * the browser's localStorage and are never sent to the server).
 */
export const SESSION_COOKIE = '__Host-vio_session';
export const SIGN_IN_COOKIE = '__Host-vio_signin';
/** How long the sign-in cookie lives; sign-in codes and links expire at the same moment. */
export const SIGN_IN_COOKIE_MAX_AGE_S = 10 * 60;

type LifetimeConfig = Pick<
  ResolvedConfig,
  'sessionIdleMinutes' | 'sessionAbsoluteHours' | 'staffSessionIdleMinutes' | 'staffSessionAbsoluteHours'
>;

export interface CookieSpec {
  name: string;
  purpose: string;
  lifetime: (config: LifetimeConfig) => string;
  essential: boolean;
}

export const cookieList: readonly CookieSpec[] = [
  {
    name: SESSION_COOKIE,
    purpose:
      'Keeps you signed in: a random session token; the session itself (device, IP, times) is kept on the server.',
    lifetime: (c) =>
      `Until you sign out or close the browser; the session ends after ${c.sessionIdleMinutes} minutes idle or ${c.sessionAbsoluteHours} hours in total (staff: ${c.staffSessionIdleMinutes} minutes / ${c.staffSessionAbsoluteHours} hours).`,
    essential: true,
  },
  {
    name: SIGN_IN_COOKIE,
    purpose:
      'Binds a sign-in code or link to the browser that asked for it, so a code read elsewhere cannot sign in here.',
    lifetime: () => `${SIGN_IN_COOKIE_MAX_AGE_S / 60} minutes, removed once you have signed in.`,
    essential: true,
  },
];

/** What the browser keeps without sending it anywhere (listed for completeness, not cookies). */
export const browserStorage = [
  { name: 'vioscan.theme', purpose: 'Your light/dark theme choice (localStorage, never sent).' },
  { name: 'vioscan.org', purpose: 'The organisation you last worked in (localStorage, never sent).' },
] as const;

export function cookieTable(config: LifetimeConfig) {
  return cookieList.map((c) => ({
    name: c.name,
    purpose: c.purpose,
    lifetime: c.lifetime(config),
    essential: c.essential,
  }));
}
