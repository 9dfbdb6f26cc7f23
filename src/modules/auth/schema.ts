import { Type } from '@sinclair/typebox';

export const SignInRequest = Type.Object({
  // Generous here so an overlong address reaches the service and gets invalid_email plus an event.
  email: Type.String({ maxLength: 1024, description: 'The address to sign in with' }),
  acceptTerms: Type.Literal(true, {
    description: 'Accepts the current terms and privacy notice (recorded on the first sign-in)',
  }),
});

export const SignInAccepted = Type.Object({ status: Type.Literal('sent'), message: Type.String() });

export const CodeRequest = Type.Object({ code: Type.String({ maxLength: 16 }) });

export const LinkToken = Type.Object({ t: Type.String({ minLength: 1, maxLength: 128 }) });

export const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  platformRole: Type.String(),
  permissions: Type.Array(Type.String(), {
    description:
      'Staff permissions of the platform role (empty for users); staff routes also need a recent MFA step-up',
  }),
  totpEnabled: Type.Boolean(),
});

export const Session = Type.Object({
  id: Type.String(),
  device: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  mfaVerifiedAt: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});

export const PendingSecondFactor = Type.Union(
  [Type.Object({ totp: Type.Boolean(), passkey: Type.Boolean() }), Type.Null()],
  {
    description:
      'Set while this session, opened by email, still has to verify one of these second factors; until then only the session, sign-out and MFA verification routes answer (second_factor_required)',
  },
);

export const SignedIn = Type.Object({
  user: User,
  csrfToken: Type.String(),
  created: Type.Optional(Type.Boolean()),
  pendingSecondFactor: PendingSecondFactor,
});
export const SessionQuery = Type.Object({
  probe: Type.Optional(
    Type.Literal('1', { description: 'Answer 204 instead of 401 when nobody is signed in' }),
  ),
});
export const CurrentSession = Type.Object({
  user: User,
  session: Session,
  csrfToken: Type.String(),
  pendingSecondFactor: PendingSecondFactor,
});
export const SessionList = Type.Object({ sessions: Type.Array(Session) });
export const SessionIdParams = Type.Object({ sessionId: Type.String({ maxLength: 64 }) });
export const Empty = Type.Object({});
export const Revoked = Type.Object({ revoked: Type.Integer() });
