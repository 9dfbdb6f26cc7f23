/**
 * Second-factor and API-token bodies and answers, from the server's TypeBox schemas
 * (src/modules/mfa/schema.ts, src/modules/tokens/schema.ts). Type-only imports: nothing of the
 * server is bundled.
 */
import type { Static } from '@sinclair/typebox';
import type * as Mfa from '../../../src/modules/mfa/schema.ts';
import type * as Tokens from '../../../src/modules/tokens/schema.ts';

export type { TokenScope } from '../../../src/modules/auth/permissions.ts';

export type TotpCode = Static<typeof Mfa.Code>;
export type TotpSetup = Static<typeof Mfa.Setup>;
export type TotpEnabled = Static<typeof Mfa.Enabled>;
export type Verified = Static<typeof Mfa.Verified>;
export type RecoveryCodes = Static<typeof Mfa.RecoveryCodes>;
export type PasskeyRename = Static<typeof Mfa.PasskeyRename>;
export type Passkey = Static<typeof Mfa.Passkey>;
export type PasskeyList = Static<typeof Mfa.PasskeyList>;
export type PasskeyRegistered = Static<typeof Mfa.PasskeyRegistered>;
export type ApiToken = Static<typeof Tokens.TokenInfo>;
export type ApiTokenList = Static<typeof Tokens.TokenList>;
export type NewApiToken = Static<typeof Tokens.CreateBody>;
export type CreatedApiToken = Static<typeof Tokens.Created>;
