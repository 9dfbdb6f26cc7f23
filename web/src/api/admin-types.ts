/**
 * Types of the staff (admin) API. Incidents come from the server's own TypeBox schema; the other
 * shapes mirror the response schemas declared beside their routes (audit/routes.ts,
 * support/routes.ts, disclosure/routes.ts, privacy/routes.ts + inventory.ts), which live in route
 * files the web build cannot import.
 */
import type { Static } from '@sinclair/typebox';
import type * as Status from '../../../src/modules/status/schema.ts';

export type Incident = Static<typeof Status.Incident>;
export type NewIncident = Static<typeof Status.NewIncident>;
export type NewIncidentUpdate = Static<typeof Status.NewIncidentUpdate>;
export type IncidentStatus = Static<typeof Status.IncidentStatus>;
export type IncidentImpact = Static<typeof Status.IncidentImpact>;

/** One data class of the inventory (src/modules/privacy/inventory.ts `inventoryView`). */
export interface InventoryClass {
  id: string;
  name: string;
  kind: 'personal' | 'operational';
  data: string;
  purpose: string;
  legalBasis: string;
  retention: string;
  retentionDays: number | null;
  storage: { table: string; columns: string[] }[];
  configuredBy: string[];
  purge: { action: 'delete' | 'clear'; table: string; olderThan: string; days: number }[];
}

export interface PurgeOutcome {
  classId: string;
  table: string;
  action: 'delete' | 'clear';
  days: number;
  affected: number | null;
  skipped?: 'table missing' | 'column missing';
}

export interface Inventory {
  classes: InventoryClass[];
  lastPurge: { ranAt: string; results: PurgeOutcome[] } | null;
}

export interface SupportMessage {
  id: string;
  threadId: string;
  userId: string | null;
  direction: 'in' | 'out';
  createdAt: string;
  subject: string;
  body: string;
  siteId?: string;
  scanId?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  hash: string;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

export const reportSeverities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type ReportSeverity = (typeof reportSeverities)[number];
export const reportStatuses = ['new', 'triaged', 'fixing', 'resolved', 'rejected'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export interface DisclosureReport {
  id: string;
  title: string;
  description: string;
  reporterEmail: string | null;
  status: ReportStatus;
  severity: ReportSeverity | null;
  createdAt: string;
  triagedAt: string | null;
  dueAt: string | null;
  closedAt: string | null;
  overdue: boolean;
}
