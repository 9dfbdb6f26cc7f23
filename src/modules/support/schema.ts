/** Request and answer shapes of the support routes (routes.ts); the web app types its calls from them. */
import { Type } from '@sinclair/typebox';

export const Message = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  createdAt: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  siteId: Type.Optional(Type.String()),
  scanId: Type.Optional(Type.String()),
});
export const Created = Type.Object({ id: Type.String(), threadId: Type.String() });
export const MessageList = Type.Object({ messages: Type.Array(Message) });
export const NewMessage = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
  siteId: Type.Optional(Type.String({ format: 'uuid' })),
  scanId: Type.Optional(Type.String({ format: 'uuid' })),
});
export const MessageParams = Type.Object({ messageId: Type.String({ format: 'uuid' }) });
export const ReplyBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) });
