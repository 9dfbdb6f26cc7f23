import type { ColumnType } from 'kysely';

/** Row types of the service tables (migrations 0060–0069, issue 6); DB in types.ts extends ServiceTables. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type ScanStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ScanSource = 'ui' | 'schedule' | 'api_token' | 'cli' | 'api';
export type FindingStatus = 'open' | 'acknowledged' | 'resolved' | 'accepted' | 'false_positive';
export type FindingChange = 'new' | 'regressed' | 'persisting' | 'fixed';

export interface SitesTable {
  id: string;
  org_id: string;
  url: string;
  host: string;
  name: string;
  verification_token: string;
  verified_at: NullableTimestamp;
  /** 'dns' | 'file' */
  verified_by: string | null;
  /** 'daily' | 'weekly' | a 5-field cron expression; null = on demand only. */
  schedule: string | null;
  /** The schedule occurrence last claimed (0062_schedules). */
  scheduled_for: NullableTimestamp;
  created_at: Timestamp;
}

export interface UsageEventsTable {
  id: string;
  org_id: string;
  kind: string;
  decision: 'allowed' | 'denied';
  subject_id: string | null;
  details: Defaulted<string>;
  created_at: Timestamp;
}

export interface ScansTable {
  id: string;
  org_id: string;
  site_id: string;
  status: Defaulted<ScanStatus>;
  progress: Defaulted<number>;
  /** Who started it: the web app, a schedule, an API token, the CLI (`api`: before 2026, unknown client). */
  source: ScanSource;
  requested_by: string | null;
  target: string;
  host: string;
  job_id: string | null;
  attempts: Defaulted<number>;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  grade: string | null;
  score: number | null;
  /** The report JSON, exactly as the scanner produced it. */
  report: string | null;
  error_code: string | null;
  error_message: string | null;
  /** Runs the active checks (verified sites only). */
  active: Defaulted<boolean>;
  /** Runs the browser stage (privacy and accessibility), as the plan allows. */
  browser: Defaulted<boolean>;
  /** The report's privacy category grade and score; null when the browser stage did not grade it. */
  privacy_grade: string | null;
  privacy_score: number | null;
}

export interface BrowserLeasesTable {
  slot: number;
  scan_id: string;
  expires_at: Timestamp;
}

/** A scan's evidence file (a visit's screenshot, its cookie jar): deleted with the scan. */
export interface ScanEvidenceTable {
  scan_id: string;
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface ScanLeasesTable {
  slot: number;
  host: string;
  scan_id: string;
  expires_at: Timestamp;
}

export interface FindingsTable {
  id: string;
  org_id: string;
  site_id: string;
  fingerprint: string;
  check_id: string;
  outcome: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  evidence: string;
  remediation: string;
  status: Defaulted<FindingStatus>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  due_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  accepted_reason: string | null;
  accepted_until: NullableTimestamp;
  reopened_count: Defaulted<number>;
  last_scan_id: string | null;
  /** 0063_alerts: when the overdue alert went out (once per due date). */
  overdue_alerted_at: NullableTimestamp;
}

export interface ScanFindingsTable {
  scan_id: string;
  finding_id: string;
  change: FindingChange;
}

export type AlertType = 'grade.dropped' | 'finding.new_high' | 'finding.overdue' | 'privacy.changed';

export interface AlertEventsTable {
  id: string;
  org_id: string;
  site_id: string | null;
  type: AlertType;
  /** JSON: what the alert says (site, grades, findings). */
  details: string;
  created_at: Timestamp;
  dispatched_at: NullableTimestamp;
}

export interface WebhooksTable {
  id: string;
  org_id: string;
  url: string;
  /** HMAC key (shown once at creation). */
  secret: string;
  /** JSON array of AlertType. */
  events: string;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  status: Defaulted<'pending' | 'delivered' | 'failed'>;
  attempts: Defaulted<number>;
  response_status: number | null;
  error: string | null;
  created_at: Timestamp;
  delivered_at: NullableTimestamp;
}

export interface NotificationPreferencesTable {
  user_id: string;
  org_id: string;
  /** JSON array of AlertType mailed to this member. */
  email_events: string;
  digest: Defaulted<boolean>;
}

export interface ServiceTables {
  alert_events: AlertEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notification_preferences: NotificationPreferencesTable;
  sites: SitesTable;
  usage_events: UsageEventsTable;
  scans: ScansTable;
  scan_leases: ScanLeasesTable;
  browser_leases: BrowserLeasesTable;
  scan_evidence: ScanEvidenceTable;
  findings: FindingsTable;
  scan_findings: ScanFindingsTable;
}
