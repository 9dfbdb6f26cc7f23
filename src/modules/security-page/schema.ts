import { Type, type Static } from '@sinclair/typebox';

/**
 * How far a statement on the Security & Privacy page is backed by this instance:
 * `live` comes from running state or configuration, `off` is a feature this operator has not
 * configured, `not_built` is machinery that does not exist yet (said honestly, never claimed).
 */
export const FactStatus = Type.Union([
  Type.Literal('live'),
  Type.Literal('warning'),
  Type.Literal('off'),
  Type.Literal('not_built'),
]);

export const Fact = Type.Object({
  label: Type.String(),
  value: Type.String(),
  status: FactStatus,
});

export const Section = Type.Object({
  id: Type.String(),
  title: Type.String(),
  facts: Type.Array(Fact),
});

export const Subprocessor = Type.Object({
  provider: Type.String(),
  purpose: Type.String(),
  notes: Type.String(),
});

/** One cookie the service sets (src/modules/privacy/cookies.ts). */
export const Cookie = Type.Object({
  name: Type.String(),
  purpose: Type.String(),
  lifetime: Type.String(),
  essential: Type.Boolean(),
});

export const SecurityPage = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  sections: Type.Array(Section),
  subprocessors: Type.Array(Subprocessor),
  cookies: Type.Array(Cookie),
  browserStorage: Type.Array(Type.Object({ name: Type.String(), purpose: Type.String() })),
  links: Type.Object({
    securityTxt: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
  }),
});

export type FactStatus = Static<typeof FactStatus>;
export type Fact = Static<typeof Fact>;
export type Section = Static<typeof Section>;
export type Cookie = Static<typeof Cookie>;
export type SecurityPage = Static<typeof SecurityPage>;
