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

export interface DB
  extends IdentityTables, BackupTables, TrustTables, ServiceTables, MonitoringTables, BillingTables {
  rate_limits: RateLimitTable;
  housekeeping_runs: HousekeepingRunTable;
}
