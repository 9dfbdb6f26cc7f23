import type { ColumnType } from 'kysely';

/** Row types of the identity tables (migration 0010_identity); DB in types.ts extends IdentityTables. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type BigIntColumn = ColumnType<string, number | bigint | string, number | bigint | string>;

export type PlatformRole = 'user' | 'support' | 'security' | 'admin';
export type OrgRole = 'owner' | 'admin' | 'member' | 'viewer';

export interface UsersTable {
  id: string;
  email: string;
  platform_role: ColumnType<PlatformRole, PlatformRole | undefined, PlatformRole>;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined, 'active' | 'disabled'>;
  created_at: Timestamp;
  last_seen_at: NullableTimestamp;
  terms_version: string | null;
  terms_accepted_at: NullableTimestamp;
  privacy_version: string | null;
  privacy_accepted_at: NullableTimestamp;
  /** AES-256-GCM sealed with APP_SECRET, never plaintext. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  disabled_at: NullableTimestamp;
}

export interface SignInAttemptsTable {
  id: string;
  email: string;
  code_hash: string;
  link_hash: string;
  nonce_hash: string;
  tries: ColumnType<number, number | undefined, number>;
  terms_accepted: ColumnType<boolean, boolean | undefined, boolean>;
  ip: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: NullableTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  auth_at: Timestamp;
  mfa_at: NullableTimestamp;
  /** Signed in by email; the account's second factor is still to be verified. */
  second_factor_pending: ColumnType<boolean, boolean | undefined, boolean>;
  ip: string | null;
  user_agent: string | null;
  revoked_at: NullableTimestamp;
}

export interface SecurityEventsTable {
  id: ColumnType<string, never, never>;
  at: Timestamp;
  type: string;
  outcome: 'success' | 'failure' | 'info';
  user_id: string | null;
  actor_id: string | null;
  /** HMAC of the email address the event is about, never the address itself. */
  subject: string | null;
  ip: string | null;
  request_id: string | null;
  details: string | null;
}

export interface AuthBlocksTable {
  key: string;
  failures: number;
  window_reset_at: Timestamp;
  level: ColumnType<number, number | undefined, number>;
  blocked_until: NullableTimestamp;
}

export interface OrgsTable {
  id: string;
  name: string;
  created_at: Timestamp;
  /** Added by 0060_sites: the plan deciding quotas, and remediation-day overrides (JSON) by severity. */
  plan: ColumnType<string, string | undefined, string>;
  remediation_days: string | null;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: OrgRole;
  created_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  org_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  /** Space-separated scopes. */
  scopes: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  public_key: string;
  counter: BigIntColumn;
  transports: string;
  name: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export interface WebauthnChallengesTable {
  id: string;
  session_id: string;
  purpose: 'register' | 'authenticate';
  challenge: string;
  expires_at: Timestamp;
}

/** Added by 0070_email_changes: a change of address waiting for the code mailed to the new one. */
export interface EmailChangesTable {
  user_id: string;
  /** AES-256-GCM sealed with APP_SECRET. */
  new_email_sealed: string;
  code_hash: string;
  tries: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AccessReviewsTable {
  id: string;
  reviewer: string;
  attestation: string;
  accounts: string;
  created_at: Timestamp;
}

export interface IdentityTables {
  users: UsersTable;
  sign_in_attempts: SignInAttemptsTable;
  sessions: SessionsTable;
  security_events: SecurityEventsTable;
  auth_blocks: AuthBlocksTable;
  orgs: OrgsTable;
  memberships: MembershipsTable;
  api_tokens: ApiTokensTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  access_reviews: AccessReviewsTable;
  email_changes: EmailChangesTable;
}
