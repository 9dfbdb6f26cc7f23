/**
 * Request and answer shapes of the second-factor routes (routes.ts, passkey-routes.ts); the web
 * app types its calls from them.
 */
import { Type } from '@sinclair/typebox';

export const Code = Type.Object({ code: Type.String({ maxLength: 32 }) });
/** Every step-up and enrolment rotates the session: the answer carries the new CSRF token. */
export const Verified = Type.Object({ csrfToken: Type.String() });
export const Setup = Type.Object({ secret: Type.String(), uri: Type.String(), qrSvg: Type.String() });
/** New recovery codes, answered once; the old ones no longer work. */
export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export const Enabled = Type.Object({ csrfToken: Type.String(), recoveryCodes: Type.Array(Type.String()) });

const b64 = (maxLength: number) => Type.String({ maxLength, pattern: '^[A-Za-z0-9_-]*={0,2}$' });
const Credential = {
  id: b64(1024),
  rawId: b64(1024),
  type: Type.Literal('public-key'),
  clientExtensionResults: Type.Object({}, { additionalProperties: true }),
  authenticatorAttachment: Type.Optional(Type.String({ maxLength: 32 })),
};
export const RegistrationBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  response: Type.Object({
    ...Credential,
    response: Type.Object(
      {
        clientDataJSON: b64(4096),
        attestationObject: b64(16_384),
        transports: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 8 })),
      },
      { additionalProperties: true },
    ),
  }),
});
export const AuthenticationBody = Type.Object({
  response: Type.Object({
    ...Credential,
    response: Type.Object(
      {
        clientDataJSON: b64(4096),
        authenticatorData: b64(4096),
        signature: b64(1024),
        userHandle: Type.Optional(b64(1024)),
      },
      { additionalProperties: true },
    ),
  }),
});
export const Options = Type.Object(
  {},
  { additionalProperties: true, description: 'For navigator.credentials' },
);
export const Passkey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export const PasskeyList = Type.Object({ passkeys: Type.Array(Passkey) });
export const PasskeyRegistered = Type.Object({ csrfToken: Type.String(), passkey: Passkey });
export const PasskeyParams = Type.Object({ passkeyId: Type.String({ maxLength: 1024 }) });
/** A passkey's new name: 1–64 characters once trimmed (the route trims and checks the length). */
export const PasskeyRename = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128, pattern: '\\S' }),
});
