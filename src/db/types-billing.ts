import type { ColumnType } from 'kysely';

/** Row types of the billing tables (migration 0100_billing, docs/billing.md). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface BillingCustomersTable {
  /** No foreign key: kept for accounting after the organisation is deleted (org_deleted_at). */
  org_id: string;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  /** The Stripe subscription status last applied, or 'none'. */
  status: Defaulted<string>;
  price_id: string | null;
  current_period_end: NullableTimestamp;
  cancel_at_period_end: Defaulted<boolean>;
  org_deleted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StripeEventsTable {
  /** Stripe's event id (evt_…): one row per event processed, the dedupe key. */
  id: string;
  type: string;
  /** Stripe's `created` of the event. */
  created_at: ColumnType<Date, Date | string, Date | string>;
  received_at: Timestamp;
}

export interface BillingTables {
  billing_customers: BillingCustomersTable;
  stripe_events: StripeEventsTable;
}
