import { z } from 'zod';

/**
 * Every environment variable VIOscan reads, in one place (STYLE §19).
 * `expected` is the human wording used in error messages and the README table.
 */
export interface VariableSpec<T extends z.ZodType = z.ZodType> {
  env: string;
  doc: string;
  expected: string;
  schema: T;
  default?: string;
  sensitive?: boolean;
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z.url({ protocol: /^https?$/ });
const hex32 = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)');

function v<const S extends VariableSpec>(spec: S): S {
  return spec;
}

export const variables = {
  nodeEnv: v({
    env: 'NODE_ENV',
    doc: 'development, test or production; production demands explicit secrets, DATABASE_URL and an https BASE_URL',
    expected: 'one of development, test, production',
    schema: z.enum(['development', 'test', 'production']),
    default: 'development',
  }),
  port: v({
    env: 'PORT',
    doc: 'HTTP(S) listen port',
    expected: 'a port number 0-65535',
    schema: port,
    default: '3000',
  }),
  host: v({
    env: 'HOST',
    doc: 'listen address',
    expected: 'an address such as 127.0.0.1 or ::',
    schema: z.string().min(1),
    default: '127.0.0.1',
  }),
  baseUrl: v({
    env: 'BASE_URL',
    doc: 'public URL of this instance (links in emails, CORS self-origin); defaults to http://HOST:PORT',
    expected: 'an http(s) URL such as https://vioscan.example.com',
    schema: httpUrl,
  }),
  dataDir: v({
    env: 'DATA_DIR',
    doc: 'directory for the embedded database, generated secrets and the local outbox',
    expected: 'a directory path',
    schema: z.string().min(1),
    default: './data',
  }),
  databaseUrl: v({
    env: 'DATABASE_URL',
    doc: 'PostgreSQL connection URL; absent = embedded PGlite in DATA_DIR',
    expected: 'a postgres:// or postgresql:// URL',
    schema: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://'),
    sensitive: true,
  }),
  databasePoolSize: v({
    env: 'DATABASE_POOL_SIZE',
    doc: 'connections per process in the PostgreSQL pool (a worker holds one more, outside the pool, to be woken when a scan is queued)',
    expected: 'a positive integer',
    schema: positiveInt.max(200),
    default: '10',
  }),
  databaseSchema: v({
    env: 'DATABASE_SCHEMA',
    doc: 'PostgreSQL schema holding the tables (jobs go to <schema>_jobs); tests use one schema per run',
    expected: 'a lower-case SQL identifier',
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,40}$/, 'must be a lower-case identifier'),
    default: 'public',
  }),
  databaseAppRole: v({
    env: 'DATABASE_APP_ROLE',
    doc: 'PostgreSQL role the service connects as (not the owner); set where `vioscan migrate` runs as the owner, which then grants it exactly what the service needs (docs/trust.md)',
    expected: 'a lower-case SQL identifier naming an existing role',
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case identifier'),
  }),
  logLevel: v({
    env: 'LOG_LEVEL',
    doc: 'pino log level',
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
  }),
  trustProxy: v({
    env: 'TRUST_PROXY',
    doc: 'which proxy hops to trust for client IP and protocol: false, true, a hop count, or comma-separated addresses/CIDRs',
    expected: 'false, true, a number of hops, or a comma-separated list of IPs/CIDRs',
    schema: z
      .string()
      .regex(/^(false|true|\d+|[0-9a-fA-F:./]+(,\s*[0-9a-fA-F:./]+)*)$/, 'not a valid trust setting'),
    default: 'false',
  }),
  corsOrigins: v({
    env: 'CORS_ORIGINS',
    doc: 'comma-separated origins allowed to call the API from a browser with credentials',
    expected: 'comma-separated http(s) origins',
    schema: z
      .string()
      .regex(/^(https?:\/\/[^\s,/]+)(,\s*https?:\/\/[^\s,/]+)*$/, 'must be origins like https://a.example'),
  }),
  webConcurrency: v({
    env: 'WEB_CONCURRENCY',
    doc: 'web worker processes forked by `vioscan serve` (PostgreSQL mode; the embedded engine always uses one)',
    expected: 'a positive integer',
    schema: positiveInt.max(64),
    default: '1',
  }),
  shutdownTimeoutMs: v({
    env: 'SHUTDOWN_TIMEOUT_MS',
    doc: 'how long a graceful shutdown waits for in-flight requests and jobs',
    expected: 'milliseconds as a positive integer',
    schema: positiveInt,
    default: '10000',
  }),
  bodyLimit: v({
    env: 'BODY_LIMIT',
    doc: 'largest accepted request body in bytes',
    expected: 'a positive integer number of bytes',
    schema: positiveInt,
    default: '1048576',
  }),
  rateLimitMax: v({
    env: 'RATE_LIMIT_MAX',
    doc: 'requests per client IP per window, across all processes (routes may be stricter)',
    expected: 'a positive integer',
    schema: positiveInt,
    default: '300',
  }),
  rateLimitWindowS: v({
    env: 'RATE_LIMIT_WINDOW_S',
    doc: 'rate limit window in seconds',
    expected: 'a positive integer number of seconds',
    schema: positiveInt,
    default: '60',
  }),
  maxEventLoopDelayMs: v({
    env: 'MAX_EVENT_LOOP_DELAY_MS',
    doc: 'event-loop lag above which requests are shed with 503',
    expected: 'a positive integer number of milliseconds',
    schema: positiveInt,
    default: '1000',
  }),
  maxRssBytes: v({
    env: 'MAX_RSS_BYTES',
    doc: 'resident memory above which requests are shed with 503 (0 = off)',
    expected: 'a non-negative integer number of bytes',
    schema: z.coerce.number().int().min(0),
    default: '0',
  }),
  tlsCertFile: v({
    env: 'TLS_CERT_FILE',
    doc: 'PEM certificate chain for native HTTPS',
    expected: 'a file path',
    schema: z.string().min(1),
  }),
  tlsKeyFile: v({
    env: 'TLS_KEY_FILE',
    doc: 'PEM private key for native HTTPS',
    expected: 'a file path',
    schema: z.string().min(1),
  }),
  httpRedirectPort: v({
    env: 'HTTP_REDIRECT_PORT',
    doc: 'with native HTTPS: plain-HTTP port that redirects to HTTPS (unset = none)',
    expected: 'a port number 0-65535',
    schema: port,
  }),
  appSecret: v({
    env: 'APP_SECRET',
    doc: 'key for HMACs of tokens and cookies; generated into DATA_DIR when absent (required in production)',
    expected: '64 hex characters',
    schema: hex32,
    sensitive: true,
  }),
  backupKey: v({
    env: 'BACKUP_KEY',
    doc: 'AES-256 key for backups; generated into DATA_DIR when absent (required in production)',
    expected: '64 hex characters',
    schema: hex32,
    sensitive: true,
  }),
  backupDir: v({
    env: 'BACKUP_DIR',
    doc: 'where backups are written',
    expected: 'a directory path',
    schema: z.string().min(1),
    default: './data/backups',
  }),
  backupCron: v({
    env: 'BACKUP_CRON',
    doc: 'cron schedule (UTC) of the encrypted backup job; every 6 hours keeps the recovery point objective at 6 h',
    expected: 'a 5-field cron expression',
    schema: z.string().regex(/^(\S+\s+){4}\S+$/, 'must have 5 fields'),
    default: '0 */6 * * *',
  }),
  backupDrillCron: v({
    env: 'BACKUP_DRILL_CRON',
    doc: 'cron schedule (UTC) of the restore drill that restores the latest backup into a scratch database',
    expected: 'a 5-field cron expression',
    schema: z.string().regex(/^(\S+\s+){4}\S+$/, 'must have 5 fields'),
    default: '30 3 * * 0',
  }),
  backupRpoHours: v({
    env: 'BACKUP_RPO_HOURS',
    doc: 'recovery point objective: an alert fires when the last good backup is older than this',
    expected: 'a positive integer number of hours',
    schema: positiveInt,
    default: '6',
  }),
  smtpUrl: v({
    env: 'SMTP_URL',
    doc: 'SMTP server for mail; absent = local outbox in DATA_DIR',
    expected: 'an smtp:// or smtps:// URL',
    schema: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://'),
    sensitive: true,
  }),
  stripeSecretKey: v({
    env: 'STRIPE_SECRET_KEY',
    doc: 'Stripe API key; absent = billing off, free plan only',
    expected: 'a Stripe key starting with sk_ or rk_',
    schema: z.string().regex(/^(sk|rk)_/, 'must start with sk_ or rk_'),
    sensitive: true,
  }),
  stripeWebhookSecret: v({
    env: 'STRIPE_WEBHOOK_SECRET',
    doc: 'Stripe webhook signing secret',
    expected: 'a secret starting with whsec_',
    schema: z.string().regex(/^whsec_/, 'must start with whsec_'),
    sensitive: true,
  }),
  stripePriceTeam: v({
    env: 'STRIPE_PRICE_TEAM',
    doc: 'Stripe price id of the team plan (docs/billing.md); absent = the team plan is not offered',
    expected: 'a Stripe price id starting with price_',
    schema: z.string().regex(/^price_\w+$/, 'must be a Stripe price id (price_…)'),
  }),
  stripePriceBusiness: v({
    env: 'STRIPE_PRICE_BUSINESS',
    doc: 'Stripe price id of the business plan (docs/billing.md); absent = the business plan is not offered',
    expected: 'a Stripe price id starting with price_',
    schema: z.string().regex(/^price_\w+$/, 'must be a Stripe price id (price_…)'),
  }),
  stripeApiBase: v({
    env: 'STRIPE_API_BASE',
    doc: 'origin of the Stripe API; for tests only (a local fake server), leave unset in production',
    expected: 'an origin such as https://api.stripe.com (no path)',
    schema: httpUrl
      .refine((u) => new URL(u).pathname === '/', 'must be an origin without a path')
      .transform((u) => new URL(u).origin),
    default: 'https://api.stripe.com',
  }),
  plausibleDomain: v({
    env: 'PLAUSIBLE_DOMAIN',
    doc: 'enables cookieless Plausible analytics for this domain',
    expected: 'a domain name',
    schema: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a domain name'),
  }),
  plausibleHost: v({
    env: 'PLAUSIBLE_HOST',
    doc: 'origin of the Plausible server (plausible.io or your own); with PLAUSIBLE_DOMAIN the web app loads its /js/script.js and the CSP allows this origin alone',
    expected: 'an origin such as https://plausible.io (no path)',
    schema: httpUrl
      .refine((u) => {
        const url = new URL(u);
        return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      }, 'must be an origin (scheme, host and optional port) without a path')
      .transform((u) => new URL(u).origin),
    default: 'https://plausible.io',
  }),
  allowPrivateTargets: v({
    env: 'ALLOW_PRIVATE_TARGETS',
    doc: 'let scans reach private and loopback addresses (self-hosting on an internal network, tests)',
    expected: 'true or false',
    schema: bool,
    default: 'false',
  }),
  chromiumPath: v({
    env: 'CHROMIUM_PATH',
    doc: 'Chromium or Chrome executable for the privacy scan in a browser (`vioscan scan --browser`, docs/privacy-scan.md)',
    expected: 'a file path',
    schema: z.string().min(1),
    default: '/usr/bin/chromium',
  }),
  rulesDir: v({
    env: 'RULES_DIR',
    doc: 'tracker lists, owner map and HSTS preload list refreshed by `vioscan rules update` (preferred over the snapshots shipped in rules/); default DATA_DIR/rules',
    expected: 'a directory path',
    schema: z.string().min(1),
  }),
  alertWebhookUrl: v({
    env: 'ALERT_WEBHOOK_URL',
    doc: 'operator alerts are POSTed here',
    expected: 'an http(s) URL',
    schema: httpUrl,
    sensitive: true,
  }),
  alertEmail: v({
    env: 'ALERT_EMAIL',
    doc: 'operator alerts (health state changes) are also mailed to these addresses',
    expected: 'comma-separated email addresses',
    schema: z
      .string()
      .regex(/^[^\s@,]+@[^\s@,]+(,\s*[^\s@,]+@[^\s@,]+)*$/, 'must be email addresses separated by commas'),
  }),
  heartbeatUrl: v({
    env: 'HEARTBEAT_URL',
    doc: 'pinged by the health monitor every run (healthchecks-style; `/fail` appended while a component is down), so an outside service alerts when the whole deployment stops',
    expected: 'an http(s) URL',
    schema: httpUrl,
    sensitive: true,
  }),
  monitorCron: v({
    env: 'MONITOR_CRON',
    doc: 'cron schedule (UTC) of the health monitor (web tier, database, queue, workers, backups, disk, certificate)',
    expected: 'a 5-field cron expression',
    schema: z.string().regex(/^(\S+\s+){4}\S+$/, 'must have 5 fields'),
    default: '* * * * *',
  }),
  osvUrl: v({
    env: 'OSV_URL',
    doc: 'the OSV API the daily dependency advisory check and `vioscan deps audit` ask (`POST /v1/querybatch`, `GET /v1/vulns/{id}`); a mirror may sit behind a path',
    expected: 'an http(s) URL',
    schema: httpUrl,
    default: 'https://api.osv.dev',
  }),
  dependencyAuditCron: v({
    env: 'DEPENDENCY_AUDIT_CRON',
    doc: "cron schedule (UTC) of the check of the running version's dependencies against OSV_URL",
    expected: 'a 5-field cron expression',
    schema: z.string().regex(/^(\S+\s+){4}\S+$/, 'must have 5 fields'),
    default: '41 4 * * *',
  }),
  selfScanCron: v({
    env: 'SELF_SCAN_CRON',
    doc: 'cron schedule (UTC) of the self-scan: VIOscan scans its own BASE_URL (passive, plus the browser stage when BROWSER_SCANS is on), alerts staff on a regression and shows the grade on /security; `off` turns it off. BASE_URL is scanned even when it is private or loopback (its host and port only)',
    expected: 'a 5-field cron expression or off',
    schema: z
      .string()
      .regex(/^(off|(\S+\s+){4}\S+)$/, 'must have 5 fields or be off')
      .transform((c) => (c === 'off' ? undefined : c)),
    default: '40 4 * * *',
  }),
  metricsToken: v({
    env: 'METRICS_TOKEN',
    doc: 'bearer token for /metrics (unset = /metrics disabled)',
    expected: 'at least 16 characters',
    schema: z.string().min(16),
    sensitive: true,
  }),
  sessionIdleMinutes: v({
    env: 'SESSION_IDLE_MINUTES',
    doc: 'a user session ends after this much inactivity (NIST 800-63B AAL2: 30)',
    expected: 'a positive integer number of minutes',
    schema: positiveInt.max(1440),
    default: '30',
  }),
  sessionAbsoluteHours: v({
    env: 'SESSION_ABSOLUTE_HOURS',
    doc: 'a user session ends this long after sign-in, active or not (NIST 800-63B AAL2: 12)',
    expected: 'a positive integer number of hours',
    schema: positiveInt.max(720),
    default: '12',
  }),
  staffSessionIdleMinutes: v({
    env: 'STAFF_SESSION_IDLE_MINUTES',
    doc: 'idle timeout for platform staff (admin, support, security)',
    expected: 'a positive integer number of minutes',
    schema: positiveInt.max(1440),
    default: '15',
  }),
  staffSessionAbsoluteHours: v({
    env: 'STAFF_SESSION_ABSOLUTE_HOURS',
    doc: 'absolute session lifetime for platform staff',
    expected: 'a positive integer number of hours',
    schema: positiveInt.max(720),
    default: '8',
  }),
  staffStepUpHours: v({
    env: 'STAFF_STEP_UP_HOURS',
    doc: 'staff APIs need a second-factor verification (TOTP or passkey) at most this many hours old',
    expected: 'a positive integer number of hours',
    schema: positiveInt.max(24),
    default: '8',
  }),
  maxSessionsPerUser: v({
    env: 'MAX_SESSIONS_PER_USER',
    doc: 'concurrent sessions per user; signing in once more ends the oldest',
    expected: 'a positive integer',
    schema: positiveInt.max(100),
    default: '10',
  }),
  housekeepingCron: v({
    env: 'HOUSEKEEPING_CRON',
    doc: 'cron schedule of the housekeeping job (expired rate-limit counters, stale locks)',
    expected: 'a 5-field cron expression',
    schema: z.string().regex(/^(\S+\s+){4}\S+$/, 'must have 5 fields'),
    default: '*/5 * * * *',
  }),
  // Scanning as a service (issue 6, docs/service.md).
  scanConcurrency: v({
    env: 'SCAN_CONCURRENCY',
    doc: 'scans running at once across all workers (the global cap, held by leases in the database)',
    expected: 'a positive integer',
    schema: positiveInt.max(1000),
    default: '4',
  }),
  browserScans: v({
    env: 'BROWSER_SCANS',
    doc: 'run the browser stage (privacy and accessibility, docs/privacy-scan.md) in the signed-in and scheduled scans the plan covers and in anonymous scans (PUBLIC_BROWSER_SCAN_CONCURRENCY); false: no scan opens a browser',
    expected: 'true or false',
    schema: bool,
    default: 'true',
  }),
  browserScanConcurrency: v({
    env: 'BROWSER_SCAN_CONCURRENCY',
    doc: 'signed-in browser scans running at once across all workers (each holds a Chromium with three visits; held by leases in the database)',
    expected: 'a positive integer',
    schema: positiveInt.max(100),
    default: '2',
  }),
  publicBrowserScanConcurrency: v({
    env: 'PUBLIC_BROWSER_SCAN_CONCURRENCY',
    doc: 'anonymous browser scans (the landing page, docs/service.md) running at once on this instance, apart from the signed-in ones; more wait in a queue that shows their position; 0 turns them off (as BROWSER_SCANS=false or a missing CHROMIUM_PATH does)',
    expected: 'an integer from 0 to 20',
    schema: z.coerce.number().int().min(0).max(20),
    default: '2',
  }),
  scanWorkerConcurrency: v({
    env: 'SCAN_WORKER_CONCURRENCY',
    doc: 'scan jobs one worker process takes at once (never more than SCAN_CONCURRENCY run overall)',
    expected: 'a positive integer',
    schema: positiveInt.max(100),
    default: '2',
  }),
  scanTimeoutS: v({
    env: 'SCAN_TIMEOUT_S',
    doc: 'a scan that runs longer than this fails; the scan of a crashed worker is retried after it',
    expected: 'a positive integer number of seconds',
    schema: positiveInt.min(10).max(3600),
    default: '120',
  }),
  verificationDnsServers: v({
    env: 'VERIFICATION_DNS_SERVERS',
    doc: 'DNS servers (comma-separated host or host:port) for site ownership TXT lookups; default: the system resolver',
    expected: 'addresses such as 1.1.1.1,9.9.9.9 or 127.0.0.1:5353',
    schema: z.string().regex(/^[0-9a-f.:[\],]+$/i, 'must be a comma list of addresses'),
  }),
  // Trust and compliance (issue 7, docs/trust.md).
  auditAnchorCron: v({
    env: 'AUDIT_ANCHOR_CRON',
    doc: 'cron schedule (UTC) of the audit anchor: the latest chain hash and count go to the log and ALERT_WEBHOOK_URL',
    expected: 'a 5-field cron expression',
    schema: z.string().regex(/^(\S+\s+){4}\S+$/, 'must have 5 fields'),
    default: '0 * * * *',
  }),
  retentionPurgeCron: v({
    env: 'RETENTION_PURGE_CRON',
    doc: 'cron schedule (UTC) of the retention purge that applies the data inventory (src/modules/privacy/inventory.ts)',
    expected: 'a 5-field cron expression',
    schema: z.string().regex(/^(\S+\s+){4}\S+$/, 'must have 5 fields'),
    default: '17 3 * * *',
  }),
  ipRetentionDays: v({
    env: 'IP_RETENTION_DAYS',
    doc: 'IP addresses in sessions, security events, sign-in attempts, disclosure reports and the audit log are removed after this many days',
    expected: 'a positive integer number of days',
    schema: positiveInt.max(3650),
    default: '30',
  }),
  securityEventRetentionDays: v({
    env: 'SECURITY_EVENT_RETENTION_DAYS',
    doc: 'security events (sign-ins, denials) are deleted after this many days',
    expected: 'a positive integer number of days',
    schema: positiveInt.max(3650),
    default: '365',
  }),
  supportRetentionDays: v({
    env: 'SUPPORT_RETENTION_DAYS',
    doc: 'support messages are deleted this many days after their last activity',
    expected: 'a positive integer number of days',
    schema: positiveInt.max(3650),
    default: '730',
  }),
  supportKeys: v({
    env: 'SUPPORT_KEYS',
    doc: 'keyring for support messages: comma list of id:64-hex keys, the last one encrypts; absent = one key derived from APP_SECRET',
    expected: 'id:hex pairs such as k1:<64 hex>,k2:<64 hex>',
    schema: z
      .string()
      .regex(
        /^[a-z0-9_-]{1,16}:[0-9a-f]{64}(,[a-z0-9_-]{1,16}:[0-9a-f]{64})*$/i,
        'must be id:64hex pairs separated by commas',
      ),
    sensitive: true,
  }),
  securityContact: v({
    env: 'SECURITY_CONTACT',
    doc: 'security.txt Contact URIs (comma list, in order of preference); default mailto:security@<BASE_URL host>',
    expected: 'mailto:, tel: or https:// URIs separated by commas',
    schema: z
      .string()
      .regex(
        /^(mailto:[^,\s]+|tel:[^,\s]+|https:\/\/[^,\s]+)(,(mailto:[^,\s]+|tel:[^,\s]+|https:\/\/[^,\s]+))*$/,
        'must be mailto:, tel: or https:// URIs',
      ),
  }),
  securityLanguages: v({
    env: 'SECURITY_LANGUAGES',
    doc: 'security.txt Preferred-Languages (RFC 5646 tags, comma list)',
    expected: 'language tags such as en, fr',
    schema: z
      .string()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*(,\s*[a-z]{2,3}(-[a-z0-9]{2,8})*)*$/i, 'must be language tags'),
    default: 'en',
  }),
  securityPgpKeyFile: v({
    env: 'SECURITY_PGP_KEY_FILE',
    doc: 'armored OpenPGP private key (unprotected) that clear-signs security.txt; unset = unsigned',
    expected: 'a file path',
    schema: z.string().min(1),
  }),
} as const;

type Vars = typeof variables;
export type Config = {
  [K in keyof Vars]: Vars[K] extends { default: string }
    ? z.output<Vars[K]['schema']>
    : z.output<Vars[K]['schema']> | undefined;
};
