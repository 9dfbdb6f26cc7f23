import { UAParser } from 'ua-parser-js';
import { platformRoleMatrix } from './permissions.ts';
import type { SessionRow, SessionUser } from './sessions.ts';

/** "Firefox 128 on Linux" from a user agent; only ever shown to the account's owner. */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return 'an unknown device';
  const ua = new UAParser(userAgent).getResult();
  const browser = [ua.browser.name, ua.browser.major].filter(Boolean).join(' ');
  const os = [ua.os.name, ua.os.version].filter(Boolean).join(' ');
  if (!browser && !os) return 'an unknown device';
  return os ? `${browser || 'a browser'} on ${os}` : browser;
}

export function presentUser(user: SessionUser) {
  return {
    id: user.id,
    email: user.email,
    platformRole: user.platform_role,
    // From the one permission matrix, so the web app shows staff screens without a copy of it.
    permissions: [...platformRoleMatrix[user.platform_role]],
    totpEnabled: user.totp_enabled_at !== null,
  };
}

export function presentSession(
  session: Pick<
    SessionRow,
    'id' | 'created_at' | 'last_seen_at' | 'expires_at' | 'ip' | 'user_agent' | 'mfa_at'
  >,
  currentId?: string,
) {
  return {
    id: session.id,
    device: describeDevice(session.user_agent),
    ip: session.ip,
    createdAt: session.created_at.toISOString(),
    lastSeenAt: session.last_seen_at.toISOString(),
    expiresAt: session.expires_at.toISOString(),
    mfaVerifiedAt: session.mfa_at?.toISOString() ?? null,
    current: session.id === currentId,
  };
}
