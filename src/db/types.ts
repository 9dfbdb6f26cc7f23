import type { ColumnType, Generated } from 'kysely';
import type { BackupTables } from './types-backups.ts';
import type { BillingTables } from './types-billing.ts';
import type { IdentityTables } from './types-identity.ts';
import type { MonitoringTables } from './types-monitoring.ts';
import type { ServiceTables } from './types-service.ts';
import type { TrustTables } from './types-trust.ts';

export type * from './types-identity.ts';
export type * from './types-backups.ts';
export type * from './types-trust.ts';
export type * from './types-monitoring.ts';
export type * from './types-service.ts';
export type * from './types-billing.ts';

/** Row types of every table; one interface per table, named after it. */
export interface RateLimitTable {
  key: string;
  hits: number;
  reset_at: ColumnType<Date, Date | string, Date | string>;
}

export interface HousekeepingRunTable {
  id: Generated<number>;
  ran_at: ColumnType<Date, Date | string | undefined, never>;
  expired_rate_limits: number;
}

/** One row: raised by triggers when access can end (migration 0120; src/modules/auth/auth-cache.ts). */
export interface AuthEpochTable {
  id: number;
  value: ColumnType<string, never, never>;
}

/** The landing page's anonymous scan reports (src/modules/public-scan), an hour each. */
export interface PublicScanTable {
  id: string;
  target: string;
  report: ColumnType<unknown | null, string | null, string | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: ColumnType<Date, Date | string, never>;
  /** The passive scan's artefacts while its browser stage waits or runs (migration 0140). */
  artefacts: ColumnType<unknown | null, string | null | undefined, string | null>;
  /** null: no browser stage for this scan. */
  browser_status: ColumnType<PublicBrowserStatus | null, PublicBrowserStatus | null | undefined>;
  /** Why the privacy part is missing: `{code, message}`. */
  browser_error: ColumnType<unknown | null, string | null | undefined, string | null>;
  /** Each browser visit's first-view screenshot, `{ visit: base64 JPEG }` (migration 0151). */
  screenshots: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

export type PublicBrowserStatus = 'queued' | 'running' | 'done' | 'failed';

/** One of PUBLIC_BROWSER_SCAN_CONCURRENCY slots, held by a running anonymous browser stage. */
export interface PublicBrowserLeaseTable {
  slot: number;
  scan_id: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface DB
  extends IdentityTables, BackupTables, TrustTables, ServiceTables, MonitoringTables, BillingTables {
  rate_limits: RateLimitTable;
  housekeeping_runs: HousekeepingRunTable;
  auth_epoch: AuthEpochTable;
  public_scans: PublicScanTable;
  public_browser_leases: PublicBrowserLeaseTable;
}
