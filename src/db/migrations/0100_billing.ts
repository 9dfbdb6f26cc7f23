import { sql, type Kysely } from 'kysely';

/**
 * Stripe billing (docs/billing.md). `billing_customers` links an organisation to its Stripe
 * customer and subscription. It has no foreign key to `orgs` on purpose: the references are
 * kept for accounting after the organisation (or its owner's account) is deleted, and marked so
 * in `org_deleted_at` (legal basis: legal obligation; data inventory class `billing`).
 * `stripe_events` holds the id of every verified webhook event processed, so a repeated delivery
 * changes nothing: the row is inserted in the same transaction as the event's side effects.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('billing_customers')
    .addColumn('org_id', 'uuid', (c) => c.primaryKey())
    .addColumn('stripe_customer_id', 'text')
    .addColumn('stripe_subscription_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('price_id', 'text')
    .addColumn('current_period_end', 'timestamptz')
    .addColumn('cancel_at_period_end', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('org_deleted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('billing_customers_customer')
    .on('billing_customers')
    .column('stripe_customer_id')
    .execute();
  await db.schema
    .createTable('stripe_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stripe_events').execute();
  await db.schema.dropTable('billing_customers').execute();
}
