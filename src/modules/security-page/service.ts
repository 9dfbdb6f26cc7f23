import type { FastifyBaseLogger } from 'fastify';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { backupHealth } from '../../ops/backup/health.ts';
import { ALGORITHM as BACKUP_CIPHER } from '../../ops/backup/crypto.ts';
import { REMEDIATION_DAYS } from '../../scanner/grade/score-table.ts';
import { ATTEMPT_TTL_MS } from '../auth/sign-in.ts';
import { analyticsScript } from '../privacy/analytics.ts';
import { browserStorage, cookieList, cookieTable } from '../privacy/cookies.ts';
import { billingEnabled } from '../billing/stripe.ts';
import { retentionTable } from '../privacy/inventory.ts';
import { PUBLIC_SCAN_RETENTION_MS } from '../public-scan/service.ts';
import { patchingFactFrom } from './patching.ts';
import type { Fact, SecurityPage, Section } from './schema.ts';
import { selfScanFact } from './self-scan.ts';
import { accessSection, complianceSection, fact, monitoringSection, operationsSection } from './sections.ts';

export interface SecurityPageDeps {
  config: ResolvedConfig;
  db: Database;
  log: FastifyBaseLogger;
  hasRoute: (url: string) => boolean;
}

function dataSection(config: ResolvedConfig): Section {
  // The periods come from the one data inventory that the purge job also enforces.
  const retention = retentionTable(config).map((row) =>
    fact(
      row.name,
      `${row.data}. Why: ${row.purpose} Kept: ${row.retention} (legal basis: ${row.legalBasis}).`,
    ),
  );
  return {
    id: 'data',
    title: 'Data we collect, purpose and retention',
    facts: [
      fact(
        'Payments',
        billingEnabled(config)
          ? 'Processed by Stripe; card data is never stored here.'
          : 'Billing is off on this instance: no payment data.',
        billingEnabled(config) ? 'live' : 'off',
      ),
      fact(
        'Cookies',
        `Essential only: ${cookieList.length} cookies (${cookieList.map((c) => c.name).join(', ')}), all HttpOnly, Secure, SameSite=Lax; see the cookie table. No CSRF or preference cookie: the CSRF token travels in a header, theme and organisation choice stay in your browser.`,
      ),
      fact(
        'Sign-in codes and links',
        `Stored hashed, single use, expire after ${ATTEMPT_TTL_MS / 60_000} minutes.`,
      ),
      fact(
        'Anonymous scans',
        `Reports from the landing page are kept in memory for ${PUBLIC_SCAN_RETENTION_MS / 3_600_000} hour, never written to the database.`,
      ),
      ...retention,
      fact(
        'Deletion',
        'You can delete your account from your account settings; personal data is erased or anonymised.',
      ),
    ],
  };
}

function encryptionSection(config: ResolvedConfig): Section {
  const native = Boolean(config.tlsCertFile && config.tlsKeyFile);
  const httpsBase = config.baseUrl.startsWith('https://');
  const transit = native
    ? fact('In transit', 'HTTPS served by this process with TLS 1.2 or newer (older versions are refused).')
    : httpsBase
      ? fact(
          'In transit',
          'HTTPS terminated by the reverse proxy in front of this instance (the shipped nginx configuration allows TLS 1.2 and 1.3 only).',
        )
      : fact(
          'In transit',
          'This instance is configured for plain HTTP (BASE_URL is not https): suitable for local development only.',
          'warning',
        );
  return {
    id: 'encryption',
    title: 'Encryption',
    facts: [
      transit,
      fact(
        'HSTS',
        'Strict-Transport-Security for two years, including subdomains, on every HTTPS response.',
        httpsBase || native ? 'live' : 'off',
      ),
      fact(
        'Backups at rest',
        config.backupKey
          ? `Backups are encrypted with ${BACKUP_CIPHER.toUpperCase()} before they are written.`
          : 'BACKUP_KEY is not set: backups are not encrypted by VIOscan.',
        config.backupKey ? 'live' : 'warning',
      ),
      fact(
        'Database at rest',
        'Depends on the storage the operator provides (for example provider-managed disk encryption); VIOscan does not encrypt the database files itself.',
      ),
    ],
  };
}

function hours(seconds: number): string {
  return seconds < 3600 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

async function backupSection({ config, db, log }: SecurityPageDeps): Promise<Section> {
  const facts: Fact[] = [];
  try {
    const health = await backupHealth(db, config);
    const rpo = health.rpoTargetSeconds;
    facts.push(
      health.lastBackupAt
        ? fact(
            'Last successful backup',
            `${health.lastBackupAt.toISOString()} (${hours(health.ageSeconds ?? 0)} ago; target ≤ ${hours(rpo)})`,
            (health.ageSeconds ?? 0) <= rpo ? 'live' : 'warning',
          )
        : fact('Last successful backup', 'No backup has been taken yet.', 'warning'),
      health.lastDrill
        ? fact(
            'Last restore drill',
            `${health.lastDrill.at.toISOString()}: ${health.lastDrill.ok ? 'passed' : 'failed'}, measured RTO ${hours(health.lastDrill.rtoSeconds)}`,
            health.lastDrill.ok ? 'live' : 'warning',
          )
        : fact('Last restore drill', 'No restore drill has run yet.', 'warning'),
      fact('Objectives', `Target RPO ≤ ${hours(rpo)} and RTO ≤ 24 h for core services.`),
      fact(
        'Schedule',
        `Backups on "${config.backupCron}", restore drills on "${config.backupDrillCron}" (cron, UTC).`,
      ),
    );
  } catch (error) {
    log.warn({ err: error }, 'security page: backup state unavailable');
    facts.push(fact('Backups', 'Backup state could not be read right now.', 'warning'));
  }
  return { id: 'backups', title: 'Backups & continuity', facts };
}

async function vulnerabilitySection({ db, log }: SecurityPageDeps, scanning: Fact): Promise<Section> {
  const days = (n: number | undefined) => (n === 1 ? '1 day' : `${n} days`);
  return {
    id: 'vulnerabilities',
    title: 'Vulnerability management',
    facts: [
      fact(
        'Remediation targets',
        `Critical ≤ ${days(REMEDIATION_DAYS.critical)}, High ≤ ${days(REMEDIATION_DAYS.high)}, Medium ≤ ${days(REMEDIATION_DAYS.medium)}, Low ≤ ${days(REMEDIATION_DAYS.low)}.`,
      ),
      scanning,
      await patchingFactFrom(db, log),
      fact(
        'Penetration testing',
        'Every build passes an automated penetration test: each API operation fuzzed with malformed input (no server error, no internal detail) and each route with an id tried by other organisations, signed-out callers, narrow or revoked tokens and removed members (all refused). No external penetration test has been reported for this version.',
      ),
    ],
  };
}

function paymentsSection(config: ResolvedConfig): Section {
  return {
    id: 'payments',
    title: 'Payments and checkout security',
    facts: billingEnabled(config)
      ? [
          fact(
            'Processor',
            'Stripe Checkout: card data never touches our servers; Stripe is PCI DSS compliant and handles SCA / 3-D Secure.',
          ),
        ]
      : [
          fact(
            'Processor',
            'Billing is not configured on this instance: there is no checkout and no payment data.',
            'off',
          ),
        ],
  };
}

export async function securityPage(deps: SecurityPageDeps): Promise<SecurityPage> {
  const { config } = deps;
  const analytics = analyticsScript(config);
  const subprocessors = [
    ...(billingEnabled(config)
      ? [{ provider: 'Stripe', purpose: 'Payment processing', notes: 'PCI DSS compliant' }]
      : []),
    ...(analytics
      ? [
          {
            provider: 'Plausible',
            purpose: 'Privacy-friendly analytics',
            notes: `Cookie-less, GDPR-friendly; script and page-view events via ${analytics.origin} only`,
          },
        ]
      : []),
  ];
  return {
    generatedAt: new Date().toISOString(),
    sections: [
      dataSection(config),
      encryptionSection(config),
      await backupSection(deps),
      accessSection(config),
      await vulnerabilitySection(deps, await selfScanFact(config, deps.db, deps.log)),
      operationsSection(config),
      paymentsSection(config),
      monitoringSection(config),
      complianceSection(),
    ],
    subprocessors,
    cookies: cookieTable(config),
    browserStorage: [...browserStorage],
    links: {
      securityTxt: deps.hasRoute('/.well-known/security.txt') ? '/.well-known/security.txt' : null,
      status: '/status',
    },
  };
}
