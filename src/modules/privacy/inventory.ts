import type { ResolvedConfig } from '../../config/load.ts';
import { DEFAULT_RETENTION } from '../../ops/backup/retention.ts';
import { EXPIRED_NOTICE_DAYS } from '../public-scan/retention.ts';
import { DEPENDENCY_CHECK_KEEP_DAYS, RESOLVED_ADVISORY_KEEP_DAYS } from '../advisories/repo.ts';
import { PROBE_HISTORY_DAYS } from '../status/repo.ts';

/**
 * THE data inventory (STYLE §24): every class of personal and operational data VIOscan keeps, why,
 * on what legal basis (GDPR art. 6(1)), for how long, and where. The purge job, the IP removal,
 * the admin view, the public /security retention table and docs/trust.md all read this list.
 */
type Config = Pick<
  ResolvedConfig,
  'ipRetentionDays' | 'securityEventRetentionDays' | 'supportRetentionDays' | 'sessionAbsoluteHours'
>;

export type LegalBasis = 'contract' | 'legitimate interests' | 'legal obligation' | 'consent';

/** One automatic step of the purge job; tables or columns that do not exist (yet) are skipped. */
export type PurgeRule =
  | {
      action: 'delete';
      table: string;
      olderThan: string;
      days: (c: Config) => number;
      /** Only rows whose column holds one of these values (e.g. findings that are closed). */
      onlyWhere?: { column: string; values: string[] };
    }
  | { action: 'clear'; table: string; columns: string[]; olderThan: string; days: (c: Config) => number };

export interface DataClass {
  id: string;
  name: string;
  kind: 'personal' | 'operational';
  /** What is stored. */
  data: string;
  purpose: string;
  legalBasis: LegalBasis;
  /** Retention in days, when it is a fixed period; null = for as long as the account exists, or kept. */
  retentionDays: (c: Config) => number | null;
  /** The rule in words, for people. */
  retention: (c: Config) => string;
  /** Where it lives: table (or `files:`) and the columns that hold it. */
  storage: { table: string; columns: string[] }[];
  purge: PurgeRule[];
  /** Configuration variables that change the period. */
  configuredBy?: string[];
}

const ip = (table: string, olderThan: string): PurgeRule => ({
  action: 'clear',
  table,
  columns: ['ip'],
  olderThan,
  days: (c) => c.ipRetentionDays,
});

const fixed = (days: number) => () => days;

export const SESSION_KEEP_DAYS = 30;
/** A year of self-scans: the history behind a regression, and the grade over time. */
export const SELF_SCAN_KEEP_DAYS = 365;
export const SIGN_IN_ATTEMPT_KEEP_DAYS = 1;
export const SCAN_KEEP_DAYS = 400;
/** Resolved findings and false positives no scan has reported for this long (the scans showing them are gone too). */
export const CLOSED_FINDING_KEEP_DAYS = SCAN_KEEP_DAYS;
export const USAGE_KEEP_DAYS = 400;
export const BILLING_KEEP_DAYS = 3650;
export const EXPORT_KEEP_DAYS = 7;
export const REPORT_KEEP_DAYS = 730;
export const API_TOKEN_KEEP_DAYS = 30;
export const AUTH_BLOCK_KEEP_DAYS = 7;
export const ALERT_KEEP_DAYS = 90;
export const STRIPE_EVENT_KEEP_DAYS = 90;
export const ACCESS_REVIEW_KEEP_DAYS = 730;
export const CHALLENGE_KEEP_DAYS = 1;

export const dataInventory: DataClass[] = [
  {
    id: 'account',
    name: 'Account',
    kind: 'personal',
    data: 'Email address, role, accepted terms and privacy versions, second-factor secrets (encrypted)',
    purpose: 'Signing in and account communications',
    legalBasis: 'contract',
    retentionDays: () => null,
    retention: () => 'While the account exists; removed or irreversibly anonymised when it is deleted',
    storage: [
      {
        table: 'users',
        columns: ['email', 'terms_version', 'privacy_version', 'totp_secret', 'last_seen_at'],
      },
      { table: 'passkeys', columns: ['public_key', 'name'] },
      { table: 'recovery_codes', columns: ['code_hash'] },
    ],
    purge: [],
  },
  {
    id: 'sign-in-attempts',
    name: 'Sign-in attempts',
    kind: 'personal',
    data: 'Email address, hashed one-time code and link, IP address',
    purpose: 'Email sign-in and abuse prevention',
    legalBasis: 'contract',
    retentionDays: fixed(SIGN_IN_ATTEMPT_KEEP_DAYS),
    retention: () =>
      `Deleted ${SIGN_IN_ATTEMPT_KEEP_DAYS} day after the code expires (codes expire after 10 minutes)`,
    storage: [
      { table: 'sign_in_attempts', columns: ['email', 'ip'] },
      // A pending email change: the new address sealed with APP_SECRET, removed when confirmed.
      { table: 'email_changes', columns: ['new_email_sealed'] },
    ],
    purge: [
      {
        action: 'delete',
        table: 'sign_in_attempts',
        olderThan: 'expires_at',
        days: fixed(SIGN_IN_ATTEMPT_KEEP_DAYS),
      },
      {
        action: 'delete',
        table: 'email_changes',
        olderThan: 'expires_at',
        days: fixed(SIGN_IN_ATTEMPT_KEEP_DAYS),
      },
    ],
  },
  {
    id: 'sessions',
    name: 'Sessions and devices',
    kind: 'personal',
    data: 'Browser (user agent) and IP address of each session',
    purpose: 'Security and abuse prevention; letting you see and end your sessions',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(SESSION_KEEP_DAYS),
    retention: (c) =>
      `Sessions end after ${c.sessionAbsoluteHours} hours at most and are deleted ${SESSION_KEEP_DAYS} days later; IP addresses are removed after ${c.ipRetentionDays} days`,
    storage: [
      { table: 'sessions', columns: ['ip', 'user_agent'] },
      // A passkey ceremony's one-time challenge: deleted when used, replaced, or with its session.
      { table: 'webauthn_challenges', columns: ['session_id', 'challenge'] },
    ],
    purge: [
      { action: 'delete', table: 'sessions', olderThan: 'expires_at', days: fixed(SESSION_KEEP_DAYS) },
      ip('sessions', 'created_at'),
      {
        action: 'delete',
        table: 'webauthn_challenges',
        olderThan: 'expires_at',
        days: fixed(CHALLENGE_KEEP_DAYS),
      },
    ],
    configuredBy: ['IP_RETENTION_DAYS', 'SESSION_ABSOLUTE_HOURS'],
  },
  {
    id: 'usage-events',
    name: 'Usage events',
    kind: 'operational',
    data: 'Basic events (feature used, time), without IP address',
    purpose: 'Operating and improving the service',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(USAGE_KEEP_DAYS),
    retention: () => `Deleted after ${USAGE_KEEP_DAYS} days`,
    storage: [{ table: 'usage_events', columns: ['org_id', 'kind', 'subject_id', 'details'] }],
    purge: [
      { action: 'delete', table: 'usage_events', olderThan: 'created_at', days: fixed(USAGE_KEEP_DAYS) },
    ],
  },
  {
    id: 'security-events',
    name: 'Security events',
    kind: 'personal',
    data: 'Sign-ins, denials and account changes, with IP address and a keyed hash of the email address',
    purpose: 'Detecting and investigating attacks on accounts',
    legalBasis: 'legitimate interests',
    retentionDays: (c) => c.securityEventRetentionDays,
    retention: (c) =>
      `Deleted after ${c.securityEventRetentionDays} days; IP addresses removed after ${c.ipRetentionDays} days`,
    storage: [{ table: 'security_events', columns: ['user_id', 'subject', 'ip'] }],
    purge: [
      {
        action: 'delete',
        table: 'security_events',
        olderThan: 'at',
        days: (c) => c.securityEventRetentionDays,
      },
      ip('security_events', 'at'),
      {
        action: 'clear',
        table: 'sign_in_attempts',
        columns: ['ip'],
        olderThan: 'created_at',
        days: (c) => c.ipRetentionDays,
      },
    ],
    configuredBy: ['SECURITY_EVENT_RETENTION_DAYS', 'IP_RETENTION_DAYS'],
  },
  {
    id: 'support',
    name: 'Support messages',
    kind: 'personal',
    data: 'Messages you send us and our replies, encrypted with AES-256-GCM',
    purpose: 'Answering your requests',
    legalBasis: 'contract',
    retentionDays: (c) => c.supportRetentionDays,
    retention: (c) => `Deleted ${c.supportRetentionDays} days after the last message of the conversation`,
    storage: [{ table: 'support_messages', columns: ['sealed_body', 'user_id'] }],
    purge: [
      {
        action: 'delete',
        table: 'support_messages',
        olderThan: 'last_activity_at',
        days: (c) => c.supportRetentionDays,
      },
    ],
    configuredBy: ['SUPPORT_RETENTION_DAYS'],
  },
  {
    id: 'disclosure-reports',
    name: 'Vulnerability reports',
    kind: 'personal',
    data: 'Reporter email address (optional), report text, IP address',
    purpose: 'Triaging and fixing security vulnerabilities',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(REPORT_KEEP_DAYS),
    retention: (c) =>
      `Deleted ${REPORT_KEEP_DAYS} days after the report is closed; IP addresses removed after ${c.ipRetentionDays} days`,
    storage: [{ table: 'vulnerability_reports', columns: ['reporter_email', 'body', 'ip'] }],
    purge: [
      {
        action: 'delete',
        table: 'vulnerability_reports',
        olderThan: 'closed_at',
        days: fixed(REPORT_KEEP_DAYS),
      },
      ip('vulnerability_reports', 'created_at'),
    ],
    configuredBy: ['IP_RETENTION_DAYS'],
  },
  {
    id: 'scans',
    name: 'Scan data',
    kind: 'operational',
    data: 'Scan reports, findings and evidence about your sites, and a browser scan’s evidence files (screenshots of the page, its cookie jar and the browser’s records of the visits)',
    purpose: 'Providing the scanning service and grade history',
    legalBasis: 'contract',
    retentionDays: fixed(SCAN_KEEP_DAYS),
    retention: () =>
      `Scan reports and their evidence files deleted after ${SCAN_KEEP_DAYS} days; findings resolved, or false positives no scan has reported, for ${CLOSED_FINDING_KEEP_DAYS} days are deleted; a site's other findings are kept while the site exists; all deleted with the site or organisation`,
    storage: [
      { table: 'scans', columns: ['target', 'report', 'requested_by'] },
      // A browser scan's screenshots and recordings: deleted with the scan (foreign key cascade).
      { table: 'scan_evidence', columns: ['scan_id', 'name', 'bytes'] },
      // Which findings a scan raised or resolved: deleted with the scan (foreign key cascade).
      { table: 'scan_findings', columns: ['scan_id', 'finding_id', 'change'] },
      { table: 'findings', columns: ['title', 'evidence', 'accepted_reason'] },
    ],
    // A deleted finding's scan_findings rows go with it (foreign key cascade). A false positive that
    // scans still report is kept (last_seen_at stays fresh): deleting it would raise it again as new.
    purge: [
      { action: 'delete', table: 'scans', olderThan: 'created_at', days: fixed(SCAN_KEEP_DAYS) },
      {
        action: 'delete',
        table: 'findings',
        olderThan: 'resolved_at',
        days: fixed(CLOSED_FINDING_KEEP_DAYS),
        onlyWhere: { column: 'status', values: ['resolved'] },
      },
      {
        action: 'delete',
        table: 'findings',
        olderThan: 'last_seen_at',
        days: fixed(CLOSED_FINDING_KEEP_DAYS),
        onlyWhere: { column: 'status', values: ['false_positive'] },
      },
    ],
  },
  {
    id: 'public-scans',
    name: 'Public scan reports',
    kind: 'operational',
    data: "The report of a scan someone started from the landing page without an account (the URL scanned and what VIOscan found there, in the browser too, with a screenshot of each browser visit's first view), and while its browser visits wait or run the passive scan's raw findings and the queue state; no IP address or other visitor data",
    purpose: 'Letting the visitor read, download and share the report for a while',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(0),
    retention: () =>
      'The report is unreadable one hour after the scan and erased by the next housekeeping run (every 5 minutes); the scanned URL alone is kept one more day so the link can say that the report expired',
    storage: [
      {
        table: 'public_scans',
        columns: ['target', 'report', 'artefacts', 'browser_status', 'browser_error', 'screenshots'],
      },
    ],
    // The housekeeping job (HOUSEKEEPING_CRON) applies the same two rules, more often.
    purge: [
      {
        action: 'clear',
        table: 'public_scans',
        columns: ['report', 'artefacts', 'browser_error', 'screenshots'],
        olderThan: 'expires_at',
        days: fixed(0),
      },
      {
        action: 'delete',
        table: 'public_scans',
        olderThan: 'expires_at',
        days: fixed(EXPIRED_NOTICE_DAYS),
      },
    ],
  },
  {
    id: 'consents',
    name: 'Consent records',
    kind: 'personal',
    data: 'Terms and privacy versions accepted, optional consents given or withdrawn, with time and version',
    purpose: 'Proving what you agreed to',
    legalBasis: 'legal obligation',
    retentionDays: () => null,
    retention: () => 'While the account exists; deleted with it',
    storage: [{ table: 'consents', columns: ['user_id', 'kind', 'version', 'granted_at', 'withdrawn_at'] }],
    purge: [],
  },
  {
    id: 'audit',
    name: 'Audit log',
    kind: 'operational',
    data: 'Security-relevant and administrative actions (who by user id, what, when) in a hash chain; email and IP of the actor kept apart',
    purpose: 'Accountability and tamper-evident record keeping',
    legalBasis: 'legal obligation',
    retentionDays: () => null,
    retention: (c) =>
      `Entries are kept (they hold no email or IP); the actor's email and IP are removed on account deletion, IPs after ${c.ipRetentionDays} days`,
    storage: [
      { table: 'audit_log', columns: ['actor_id', 'action', 'details'] },
      { table: 'audit_personal', columns: ['actor_email', 'ip'] },
    ],
    purge: [ip('audit_personal', 'created_at')],
    configuredBy: ['IP_RETENTION_DAYS'],
  },
  {
    id: 'exports',
    name: 'Data exports',
    kind: 'personal',
    data: 'The archive of your data you asked for',
    purpose: 'Your right of access and portability',
    legalBasis: 'legal obligation',
    retentionDays: fixed(EXPORT_KEEP_DAYS),
    retention: () => `Download link expires and the archive is deleted after ${EXPORT_KEEP_DAYS} days`,
    storage: [{ table: 'data_exports', columns: ['archive'] }],
    purge: [
      { action: 'delete', table: 'data_exports', olderThan: 'created_at', days: fixed(EXPORT_KEEP_DAYS) },
    ],
  },
  {
    id: 'billing',
    name: 'Billing references',
    kind: 'personal',
    data: 'Stripe customer and subscription identifiers, plan and renewal date (never card data)',
    purpose: 'Invoicing and accounting',
    legalBasis: 'legal obligation',
    retentionDays: fixed(BILLING_KEEP_DAYS),
    retention: () =>
      `Kept while the organisation exists, then ${BILLING_KEEP_DAYS / 365} years for accounting law, also after account deletion (marked as such)`,
    storage: [
      {
        table: 'billing_customers',
        columns: ['stripe_customer_id', 'stripe_subscription_id', 'price_id', 'current_period_end'],
      },
    ],
    purge: [
      {
        action: 'delete',
        table: 'billing_customers',
        // Only rows of deleted organisations (marked by account deletion) age out.
        olderThan: 'org_deleted_at',
        days: fixed(BILLING_KEEP_DAYS),
      },
    ],
  },
  {
    id: 'organisations',
    name: 'Organisations and members',
    kind: 'personal',
    data: 'Organisation name and plan, who is a member with which role, sites, per-member notification settings, webhook addresses and their signing secrets',
    purpose: 'Providing the service to your organisation',
    legalBasis: 'contract',
    retentionDays: () => null,
    retention: () =>
      "While the organisation exists; a member's membership and notification settings are deleted when they leave or delete their account; everything is deleted with the organisation",
    storage: [
      { table: 'orgs', columns: ['name', 'plan', 'remediation_days'] },
      { table: 'memberships', columns: ['org_id', 'user_id', 'role'] },
      { table: 'sites', columns: ['url', 'host', 'name', 'verification_token'] },
      { table: 'notification_preferences', columns: ['user_id', 'org_id', 'email_events', 'digest'] },
      { table: 'webhooks', columns: ['url', 'secret', 'events'] },
    ],
    purge: [],
  },
  {
    id: 'api-tokens',
    name: 'API tokens',
    kind: 'personal',
    data: 'Token name, prefix and hash (never the token), scopes, who created it, when it was last used',
    purpose: 'Letting your programs use the API on your behalf',
    legalBasis: 'contract',
    retentionDays: fixed(API_TOKEN_KEEP_DAYS),
    retention: () =>
      `While the token is valid; deleted ${API_TOKEN_KEEP_DAYS} days after it is revoked or expires, and with the account or organisation`,
    storage: [{ table: 'api_tokens', columns: ['user_id', 'name', 'prefix', 'token_hash', 'last_used_at'] }],
    purge: [
      { action: 'delete', table: 'api_tokens', olderThan: 'revoked_at', days: fixed(API_TOKEN_KEEP_DAYS) },
      { action: 'delete', table: 'api_tokens', olderThan: 'expires_at', days: fixed(API_TOKEN_KEEP_DAYS) },
    ],
  },
  {
    id: 'throttling',
    name: 'Rate limits and sign-in blocks',
    kind: 'personal',
    data: 'Request and failure counters keyed by IP address, a hash of the email address or the user id',
    purpose: 'Protecting accounts and the service against brute force and abuse',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(AUTH_BLOCK_KEEP_DAYS),
    retention: () =>
      `Request counters are deleted when their window ends; failure counters and blocks ${AUTH_BLOCK_KEEP_DAYS} days after their last window ends (a block lasts a day at most)`,
    storage: [
      { table: 'rate_limits', columns: ['key'] },
      { table: 'auth_blocks', columns: ['key'] },
    ],
    purge: [
      // The housekeeping job (HOUSEKEEPING_CRON) deletes expired counters too, more often.
      { action: 'delete', table: 'rate_limits', olderThan: 'reset_at', days: fixed(0) },
      // A block ends at most a day after its window does, so deleting a week later ends no block;
      // it only forgets the escalation level of a key that has been quiet for a week.
      {
        action: 'delete',
        table: 'auth_blocks',
        olderThan: 'window_reset_at',
        days: fixed(AUTH_BLOCK_KEEP_DAYS),
      },
    ],
  },
  {
    id: 'alerts',
    name: 'Alerts and webhook deliveries',
    kind: 'operational',
    data: 'Alert events about your sites (grade drops, new high-severity findings, overdue fixes) and the outcome of each webhook delivery',
    purpose: 'Notifying you by email and webhook, and showing the delivery log',
    legalBasis: 'contract',
    retentionDays: fixed(ALERT_KEEP_DAYS),
    retention: () => `Deleted after ${ALERT_KEEP_DAYS} days, or with the organisation`,
    storage: [
      { table: 'alert_events', columns: ['type', 'details'] },
      { table: 'webhook_deliveries', columns: ['status', 'response_status', 'error'] },
    ],
    purge: [
      // Deliveries of a deleted event go with it (foreign key cascade).
      { action: 'delete', table: 'alert_events', olderThan: 'created_at', days: fixed(ALERT_KEEP_DAYS) },
      {
        action: 'delete',
        table: 'webhook_deliveries',
        olderThan: 'created_at',
        days: fixed(ALERT_KEEP_DAYS),
      },
    ],
  },
  {
    id: 'monitoring',
    name: 'Service monitoring and incidents',
    kind: 'operational',
    data: 'Health checks of each component, and the incidents and updates published on the status page (by staff user id)',
    purpose: 'Running the service and the public status page',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(PROBE_HISTORY_DAYS),
    retention: () =>
      `Health checks deleted after ${PROBE_HISTORY_DAYS} days (the 90-day uptime window); incidents are kept as the status history`,
    storage: [
      { table: 'health_probes', columns: ['component', 'status', 'detail'] },
      { table: 'incidents', columns: ['title', 'created_by'] },
      { table: 'incident_updates', columns: ['message', 'created_by'] },
    ],
    // The monitor job deletes old checks on every run too (src/modules/status/repo.ts).
    purge: [
      {
        action: 'delete',
        table: 'health_probes',
        olderThan: 'checked_at',
        days: fixed(PROBE_HISTORY_DAYS),
      },
    ],
  },
  {
    id: 'dependency-advisories',
    name: 'Dependency advisory checks',
    kind: 'operational',
    data: "Each daily check of VIOscan's own dependencies against the OSV database (time, outcome, source, error) and the advisories found (advisory id, package, version, severity, deadline)",
    purpose: 'Patching VIOscan within its remediation targets',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(DEPENDENCY_CHECK_KEEP_DAYS),
    retention: () =>
      `Checks deleted after ${DEPENDENCY_CHECK_KEEP_DAYS} days; advisories while open, then ${RESOLVED_ADVISORY_KEEP_DAYS} days after they were resolved`,
    storage: [
      { table: 'dependency_checks', columns: ['checked_at', 'ok', 'source', 'error'] },
      {
        table: 'dependency_advisories',
        columns: ['advisory_id', 'package', 'version', 'severity', 'due_at'],
      },
    ],
    // The check itself deletes old rows on every run too (src/modules/advisories/repo.ts).
    purge: [
      {
        action: 'delete',
        table: 'dependency_checks',
        olderThan: 'checked_at',
        days: fixed(DEPENDENCY_CHECK_KEEP_DAYS),
      },
      {
        action: 'delete',
        table: 'dependency_advisories',
        olderThan: 'resolved_at',
        days: fixed(RESOLVED_ADVISORY_KEEP_DAYS),
      },
    ],
  },
  {
    id: 'self-scans',
    name: 'Self-scans',
    kind: 'operational',
    data: 'Each scan of this instance’s own BASE_URL: grade, score, finding counts by severity, the titles of its high and critical findings, what regressed, or why it failed (no report, no personal data)',
    purpose: 'Finding regressions in the service’s own security and stating the latest grade on /security',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(SELF_SCAN_KEEP_DAYS),
    retention: () => `Deleted after ${SELF_SCAN_KEEP_DAYS} days`,
    storage: [
      {
        table: 'self_scans',
        columns: ['target', 'grade', 'score', 'counts', 'serious', 'regressions', 'error_message'],
      },
    ],
    purge: [
      { action: 'delete', table: 'self_scans', olderThan: 'finished_at', days: fixed(SELF_SCAN_KEEP_DAYS) },
    ],
  },
  {
    id: 'access-reviews',
    name: 'Access reviews',
    kind: 'personal',
    data: 'Attestations of the review of staff accounts: reviewer, statement, the staff accounts reviewed (email, role, factors, last activity)',
    purpose: 'Accountability for who holds privileged access',
    legalBasis: 'legitimate interests',
    retentionDays: fixed(ACCESS_REVIEW_KEEP_DAYS),
    retention: () =>
      `Deleted after ${ACCESS_REVIEW_KEEP_DAYS} days; a staff member's email is removed from them when their account is deleted`,
    storage: [{ table: 'access_reviews', columns: ['reviewer', 'attestation', 'accounts'] }],
    purge: [
      {
        action: 'delete',
        table: 'access_reviews',
        olderThan: 'created_at',
        days: fixed(ACCESS_REVIEW_KEEP_DAYS),
      },
    ],
  },
  {
    id: 'stripe-events',
    name: 'Payment notifications',
    kind: 'operational',
    data: 'Identifiers and types of the Stripe webhook events processed (no card or customer data)',
    purpose: 'Processing each payment notification exactly once',
    legalBasis: 'contract',
    retentionDays: fixed(STRIPE_EVENT_KEEP_DAYS),
    retention: () =>
      `Deleted ${STRIPE_EVENT_KEEP_DAYS} days after receipt (Stripe stops retrying after 3 days)`,
    storage: [{ table: 'stripe_events', columns: ['id', 'type'] }],
    purge: [
      {
        action: 'delete',
        table: 'stripe_events',
        olderThan: 'received_at',
        days: fixed(STRIPE_EVENT_KEEP_DAYS),
      },
    ],
  },
  {
    id: 'backups',
    name: 'Backups',
    kind: 'operational',
    data: 'Encrypted copies of the whole database (AES-256-GCM)',
    purpose: 'Restoring the service after a failure',
    legalBasis: 'legitimate interests',
    retentionDays: () => DEFAULT_RETENTION.monthly * 31,
    retention: () =>
      `${DEFAULT_RETENTION.daily} daily, ${DEFAULT_RETENTION.weekly} weekly and ${DEFAULT_RETENTION.monthly} monthly backups; deleted data leaves the backups within ${DEFAULT_RETENTION.monthly} months`,
    storage: [
      { table: 'files:BACKUP_DIR', columns: [] },
      // The catalogue of backup files (no copy of the data): marked removed with the file.
      { table: 'backups', columns: ['manifest'] },
    ],
    purge: [],
  },
];

/**
 * Tables that hold no personal data and no data of a class above: technical state, each with the
 * reason. Together with the classes' storage this names every table a migration creates; a test
 * (test/modules/privacy/inventory-coverage.test.ts) fails when a new table is in neither.
 * pg-boss keeps its queue in its own schema (`<DATABASE_SCHEMA>_jobs`): job payloads carry ids,
 * not personal data, and pg-boss deletes finished jobs itself.
 */
export const notPersonalData: Record<string, string> = {
  kysely_migration: 'Which migrations have run',
  kysely_migration_lock: 'Lock that serialises migrations',
  housekeeping_runs: 'Time and count of each housekeeping run',
  retention_runs: 'What each retention purge deleted or cleared (tables and counts)',
  scan_leases: 'Per-host scan slots (host, scan id, expiry), deleted when the scan ends',
  browser_leases: 'Browser scan slots (scan id, expiry), deleted when the scan ends',
  public_browser_leases:
    'Anonymous browser scan slots (public scan id, expiry), deleted when its browser visits end',
  worker_heartbeats: 'Worker id, role, hostname and pid, deleted when the worker stops',
  audit_chain_head: 'Sequence number and hash of the newest audit entry',
  audit_anchors: 'Published (count, hash) checkpoints of the audit chain; append-only, tiny',
  backup_drills: 'Outcome, timings and checks of each restore drill',
  auth_epoch: 'One counter raised when a session, account or API token loses access (cache invalidation)',
};

export interface RetentionRow {
  id: string;
  name: string;
  data: string;
  purpose: string;
  legalBasis: LegalBasis;
  retention: string;
  retentionDays: number | null;
}

/** The public retention table (/security page, docs/trust.md). */
export function retentionTable(config: Config): RetentionRow[] {
  return dataInventory.map((c) => ({
    id: c.id,
    name: c.name,
    data: c.data,
    purpose: c.purpose,
    legalBasis: c.legalBasis,
    retention: c.retention(config),
    retentionDays: c.retentionDays(config),
  }));
}

/** The admin view: the public table plus where each class lives and what configures it. */
export function inventoryView(config: Config) {
  return dataInventory.map((c, i) => ({
    ...retentionTable(config)[i]!,
    kind: c.kind,
    storage: c.storage,
    configuredBy: c.configuredBy ?? [],
    purge: c.purge.map((r) => ({ ...r, days: r.days(config) })),
  }));
}
