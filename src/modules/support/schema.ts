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

/** The site a message is about, when it belongs to an organisation of the message's account. */
export const InboxSite = Type.Object({ id: Type.String(), name: Type.String(), url: Type.String() });
/** The scan a message is about, when it belongs to an organisation of the message's account. */
export const InboxScan = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  target: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
});
/** A message in the support role's inbox: who the account is now, and what the message is about. */
export const InboxMessage = Type.Composite([
  Message,
  Type.Object({
    userEmail: Type.Union([Type.String(), Type.Null()], {
      description:
        "The current email of the message's account (the sender of `in` messages); null once the account is deleted",
    }),
    site: Type.Union([InboxSite, Type.Null()]),
    scan: Type.Union([InboxScan, Type.Null()]),
  }),
]);
export const InboxList = Type.Object({ messages: Type.Array(InboxMessage) });
export const NewMessage = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
  siteId: Type.Optional(Type.String({ format: 'uuid' })),
  scanId: Type.Optional(Type.String({ format: 'uuid' })),
});
export const MessageParams = Type.Object({ messageId: Type.String({ format: 'uuid' }) });
export const ReplyBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) });
