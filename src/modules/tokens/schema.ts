/**
 * Request and answer shapes of the API-token routes (routes.ts); the web app types from them.
 */
import { Type } from '@sinclair/typebox';
import { tokenScopes } from '../auth/permissions.ts';

export const Params = Type.Object({ orgId: Type.String({ maxLength: 64 }) });
export const TokenParams = Type.Object({
  orgId: Type.String({ maxLength: 64 }),
  tokenId: Type.String({ maxLength: 64 }),
});
export const Scope = Type.Union(tokenScopes.map((s) => Type.Literal(s)));
export const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(Scope, { minItems: 1, maxItems: tokenScopes.length, uniqueItems: true }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
});
export const TokenInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export const TokenList = Type.Object({ tokens: Type.Array(TokenInfo) });
export const Created = Type.Object({
  id: Type.String(),
  token: Type.String({ description: 'Shown once; store it now' }),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});

export const Self = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});
