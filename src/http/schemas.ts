import { Type, type Static } from '@sinclair/typebox';
import { errorCatalogue, type ErrorCode } from '../errors.ts';

/** The one error envelope, for route schemas (`response: { ...errorResponses }`) and OpenAPI. */
export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: Type.Unsafe<ErrorCode>({ type: 'string', enum: Object.keys(errorCatalogue) }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorEnvelope', description: 'Every error: see docs/errors.md for the codes' },
);
export type ErrorEnvelopeBody = Static<typeof ErrorEnvelope>;

/** Spread into a route's `response` so its OpenAPI entry documents the error answers. */
export const errorResponses = {
  '4xx': ErrorEnvelope,
  '5xx': ErrorEnvelope,
};
