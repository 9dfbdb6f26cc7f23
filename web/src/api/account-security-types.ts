/**
 * Answers of the second-factor and API-token routes. Those route files keep their TypeBox schemas
 * private, so these mirror them by hand: src/modules/mfa/routes.ts (Setup, Enabled, Verified),
 * src/modules/mfa/passkey-routes.ts (Passkey) and src/modules/tokens/routes.ts (TokenInfo, Created,
 * CreateBody). The browser test exercises every one of them against the real server.
 */
import type { TokenScope } from '../../../src/modules/auth/permissions.ts';

export type { TokenScope };

export interface TotpSetup {
  secret: string;
  uri: string;
  qrSvg: string;
}
export interface TotpEnabled {
  csrfToken: string;
  recoveryCodes: string[];
}
export interface Verified {
  csrfToken: string;
}
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
export interface PasskeyList {
  passkeys: Passkey[];
}
export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}
export interface ApiTokenList {
  tokens: ApiToken[];
}
export interface NewApiToken {
  name: string;
  scopes: TokenScope[];
  expiresInDays?: number;
}
export interface CreatedApiToken {
  id: string;
  token: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
}
