import { Type } from '@sinclair/typebox';

const Id = Type.String({ maxLength: 64 });
export const OrgParams = Type.Object({ orgId: Id });
export const WebhookParams = Type.Object({ orgId: Id, webhookId: Id });
export const AlertTypeSchema = Type.Union([
  Type.Literal('grade.dropped'),
  Type.Literal('finding.new_high'),
  Type.Literal('finding.overdue'),
  Type.Literal('privacy.changed'),
]);
const Events = Type.Array(AlertTypeSchema, { uniqueItems: true, maxItems: 4 });

export const WebhookBody = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  events: Type.Optional(Type.Array(AlertTypeSchema, { uniqueItems: true, minItems: 1, maxItems: 4 })),
});
export const Webhook = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Events,
  createdAt: Type.String(),
  secret: Type.Optional(
    Type.String({ description: 'Shown once, at creation: verify x-vioscan-signature with it' }),
  ),
});
export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) });
export const DeliveryList = Type.Object({
  deliveries: Type.Array(
    Type.Object({
      id: Type.String(),
      eventId: Type.String(),
      eventType: AlertTypeSchema,
      status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
      attempts: Type.Integer(),
      responseStatus: Type.Union([Type.Integer(), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
      deliveredAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export const Preferences = Type.Object({ emailEvents: Events, digest: Type.Boolean() });
export const WebhookTestResult = Type.Object({
  delivered: Type.Boolean({ description: 'The receiver answered 2xx' }),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  /** What happened, in words: the receiver's status, or why it could not be reached. */
  message: Type.String(),
});
