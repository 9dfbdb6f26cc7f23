import type { ColumnType, Generated } from 'kysely';

/** Row types of the trust tables (migrations 0040–0049, issue 7); DB in types.ts extends TrustTables. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type BigIntColumn = ColumnType<string, number | bigint | string, number | bigint | string>;

export interface AuditLogTable {
  seq: BigIntColumn;
  at: Timestamp;
  action: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  /** Canonical JSON of non-personal details. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: number;
  seq: BigIntColumn;
  hash: string;
}

export interface AuditPersonalTable {
  seq: BigIntColumn;
  actor_email: string | null;
  ip: string | null;
  created_at: Timestamp;
}

export interface AuditAnchorsTable {
  id: Generated<number>;
  at: Timestamp;
  seq: BigIntColumn;
  hash: string;
}

export interface RetentionRunsTable {
  id: Generated<number>;
  ran_at: Timestamp;
  results: string;
}

export interface ConsentsTable {
  id: string;
  user_id: string;
  /** terms, privacy, product_email … (src/modules/privacy/consent.ts) */
  kind: string;
  version: string;
  granted_at: Timestamp;
  withdrawn_at: NullableTimestamp;
}

export interface DataExportsTable {
  id: string;
  user_id: string;
  status: ColumnType<
    'pending' | 'ready' | 'failed',
    'pending' | 'ready' | 'failed' | undefined,
    'pending' | 'ready' | 'failed'
  >;
  token_hash: string;
  archive: string | null;
  created_at: Timestamp;
  ready_at: NullableTimestamp;
  expires_at: Timestamp;
}

export type ReportStatus = 'new' | 'triaged' | 'fixing' | 'resolved' | 'rejected';

export interface VulnerabilityReportsTable {
  id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  title: string;
  body: string;
  reporter_email: string | null;
  ip: string | null;
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info' | null;
  due_at: NullableTimestamp;
  triaged_by: string | null;
  triaged_at: NullableTimestamp;
  closed_at: NullableTimestamp;
}

export interface SupportMessagesTable {
  id: string;
  thread_id: string;
  user_id: string | null;
  /** Staff member who replied (direction out). */
  author_id: string | null;
  direction: 'in' | 'out';
  key_id: string;
  /** AES-256-GCM of the JSON {subject, body, siteId?, scanId?} (src/modules/support/keyring.ts). */
  sealed_body: string;
  created_at: Timestamp;
  last_activity_at: Timestamp;
}

export interface TrustTables {
  support_messages: SupportMessagesTable;
  vulnerability_reports: VulnerabilityReportsTable;
  retention_runs: RetentionRunsTable;
  consents: ConsentsTable;
  data_exports: DataExportsTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  audit_personal: AuditPersonalTable;
  audit_anchors: AuditAnchorsTable;
}
