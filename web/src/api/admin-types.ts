/**
 * Types of the staff (admin) API, from the server's TypeBox schemas (status, privacy, support,
 * disclosure and audit `schema.ts`). Type-only imports: nothing of the server is bundled.
 */
import type { Static } from '@sinclair/typebox';
import type * as Audit from '../../../src/modules/audit/schema.ts';
import type * as Disclosure from '../../../src/modules/disclosure/schema.ts';
import type * as Privacy from '../../../src/modules/privacy/schema.ts';
import type * as Status from '../../../src/modules/status/schema.ts';
import type * as Support from '../../../src/modules/support/schema.ts';

export type Incident = Static<typeof Status.Incident>;
export type IncidentList = Static<typeof Status.IncidentList>;
export type NewIncident = Static<typeof Status.NewIncident>;
export type NewIncidentUpdate = Static<typeof Status.NewIncidentUpdate>;
export type IncidentStatus = Static<typeof Status.IncidentStatus>;
export type IncidentImpact = Static<typeof Status.IncidentImpact>;

export type Inventory = Static<typeof Privacy.Inventory>;
export type InventoryClass = Static<typeof Privacy.InventoryClass>;
export type PurgeOutcome = Static<typeof Privacy.PurgeOutcome>;

export type SupportMessage = Static<typeof Support.InboxMessage>;
export type SupportMessageList = Static<typeof Support.InboxList>;
export type SupportReply = Static<typeof Support.ReplyBody>;
export type SupportCreated = Static<typeof Support.Created>;

export type DisclosureReport = Static<typeof Disclosure.Report>;
export type DisclosureReportList = Static<typeof Disclosure.ReportList>;
export type Triage = Static<typeof Disclosure.Triage>;
export type ReportSeverity = Static<typeof Disclosure.Severity>;
export type ReportStatus = Static<typeof Disclosure.Status>;

/** Every value of `T` listed, in display order (a compile error if the server adds or drops one). */
const all =
  <T extends string>() =>
  <L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)): L =>
    list;
export const reportSeverities = all<ReportSeverity>()(['critical', 'high', 'medium', 'low', 'info'] as const);
export const reportStatuses = all<ReportStatus>()([
  'new',
  'triaged',
  'fixing',
  'resolved',
  'rejected',
] as const);

export type AuditEntry = Static<typeof Audit.Entry>;
export type AuditLog = Static<typeof Audit.EntryList>;
export type AuditVerification = Static<typeof Audit.Verification>;
export type AuditFilter = Static<typeof Audit.Filter>;
