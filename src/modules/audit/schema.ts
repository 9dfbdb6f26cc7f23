/** Request and answer shapes of the audit routes (routes.ts); the web app types its calls from them. */
import { Type } from '@sinclair/typebox';

export const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  action: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  /** The actor's email: the account's current one, else the one recorded with the entry (null once erased). */
  actorEmail: Type.Union([Type.String(), Type.Null()]),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  /** When the target is a user: their current email (null for a deleted account). */
  targetEmail: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  hash: Type.String(),
});
export const EntryList = Type.Object({ entries: Type.Array(Entry) });

/** The viewer's filters: action prefix, actor, target, time range, and a page before a sequence number. */
export const Filter = Type.Object({
  action: Type.Optional(Type.String({ pattern: '^[a-z_.]{1,64}$' })),
  actorId: Type.Optional(Type.String({ format: 'uuid' })),
  /** Entries by this actor, matched on the account's current email or the one recorded with the entry. */
  actorEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  targetId: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const Verification = Type.Object({ ok: Type.Boolean(), message: Type.String() });
