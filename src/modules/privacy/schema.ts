import { Type, type Static } from '@sinclair/typebox';

/** One kind of consent as it stands now (terms and privacy are required; the rest optional). */
export const Consent = Type.Object({
  kind: Type.String(),
  purpose: Type.String(),
  required: Type.Boolean(),
  currentVersion: Type.String(),
  granted: Type.Boolean(),
  version: Type.Union([Type.String(), Type.Null()]),
  grantedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
});

export const ConsentRecord = Type.Object({
  kind: Type.String(),
  version: Type.String(),
  grantedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
});

export const Consents = Type.Object({ consents: Type.Array(Consent), history: Type.Array(ConsentRecord) });

/** An export's state; the download link (with its token) is only ever shown once, when it is requested. */
export const ExportState = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('ready'), Type.Literal('failed')]),
  createdAt: Type.String(),
  readyAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String(),
  expired: Type.Boolean(),
});

export const ExportRequested = Type.Object({
  id: Type.String(),
  status: Type.Literal('pending'),
  url: Type.String(),
});

export const Deleted = Type.Object({
  deleted: Type.Literal(true),
  orgsDeleted: Type.Integer(),
  orgsTransferred: Type.Integer(),
});

export type Consents = Static<typeof Consents>;
export type ExportState = Static<typeof ExportState>;
