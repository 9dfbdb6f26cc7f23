/** Types of the organisation settings API (members, targets, usage, webhooks, alerts), from the server's schemas. */
import type { Static } from '@sinclair/typebox';
import type * as Alerts from '../../../src/modules/alerts/schema.ts';
import type * as Findings from '../../../src/modules/findings/schema.ts';
import type * as Orgs from '../../../src/modules/orgs/schema.ts';
import type * as Scans from '../../../src/modules/scans/schema.ts';

export type OrgRole = Static<typeof Orgs.OrgRoleSchema>;
export type Member = Static<typeof Orgs.Member>;
export type MemberList = Static<typeof Orgs.MemberList>;
export type MemberBody = Static<typeof Orgs.MemberBody>;
export type RemediationTargets = Static<typeof Findings.RemediationTargets>;
export type Usage = Static<typeof Scans.Usage>;
export type AlertType = Static<typeof Alerts.AlertTypeSchema>;
export type Webhook = Static<typeof Alerts.Webhook>;
export type WebhookList = Static<typeof Alerts.WebhookList>;
export type WebhookBody = Static<typeof Alerts.WebhookBody>;
export type DeliveryList = Static<typeof Alerts.DeliveryList>;
export type WebhookTestResult = Static<typeof Alerts.WebhookTestResult>;
export type Delivery = DeliveryList['deliveries'][number];
export type Preferences = Static<typeof Alerts.Preferences>;
