import { request } from './http.ts';
import { orgPath } from './orgs.ts';
import type {
  DeliveryList,
  Member,
  MemberBody,
  MemberList,
  Preferences,
  RemediationTargets,
  Usage,
  Webhook,
  WebhookBody,
  WebhookList,
  WebhookTestResult,
} from './org-settings-types.ts';
import type { Org, OrgBody } from './types.ts';

const hookPath = (orgId: string, webhookId: string, rest = '') =>
  orgPath(orgId, `/webhooks/${encodeURIComponent(webhookId)}${rest}`);

/** The organisation settings screens (/org, /org/members, /org/alerts): docs/web.md. */
export const orgSettingsApi = {
  rename: (orgId: string, name: string) => request<Org>('PATCH', orgPath(orgId), { name } satisfies OrgBody),
  usage: (orgId: string) => request<Usage>('GET', orgPath(orgId, '/usage')),
  targets: (orgId: string) => request<RemediationTargets>('GET', orgPath(orgId, '/remediation-targets')),
  setTargets: (orgId: string, body: RemediationTargets) =>
    request<RemediationTargets>('PUT', orgPath(orgId, '/remediation-targets'), body),
  members: (orgId: string) => request<MemberList>('GET', orgPath(orgId, '/members')),
  /** Adds a member by email, or changes the role of one already in the organisation. */
  putMember: (orgId: string, body: MemberBody) => request<Member>('PUT', orgPath(orgId, '/members'), body),
  removeMember: (orgId: string, userId: string) =>
    request<undefined>('DELETE', orgPath(orgId, `/members/${encodeURIComponent(userId)}`)),
  /** The signed-in member leaves the organisation (the only owner cannot: 409). */
  leave: (orgId: string) => request<undefined>('POST', orgPath(orgId, '/leave'), {}),
  webhooks: (orgId: string) => request<WebhookList>('GET', orgPath(orgId, '/webhooks')),
  addWebhook: (orgId: string, body: WebhookBody) =>
    request<Webhook>('POST', orgPath(orgId, '/webhooks'), body),
  deleteWebhook: (orgId: string, webhookId: string) =>
    request<undefined>('DELETE', hookPath(orgId, webhookId)),
  testWebhook: (orgId: string, webhookId: string) =>
    request<WebhookTestResult>('POST', hookPath(orgId, webhookId, '/test'), {}),
  deliveries: (orgId: string, webhookId: string) =>
    request<DeliveryList>('GET', hookPath(orgId, webhookId, '/deliveries')),
  preferences: (orgId: string) => request<Preferences>('GET', orgPath(orgId, '/notification-preferences')),
  setPreferences: (orgId: string, body: Preferences) =>
    request<Preferences>('PUT', orgPath(orgId, '/notification-preferences'), body),
};
