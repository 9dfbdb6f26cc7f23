import type { Kysely } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { DB } from '../../db/types.ts';
import type { Tx } from '../../db/tx.ts';

/** SQL of the billing module (tables of migration 0100_billing). */

/** Pass `db.kysely` or a transaction. */
export function billingRow(k: Kysely<DB>, orgId: string) {
  return k.selectFrom('billing_customers').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

export async function eventSeen(db: Database, eventId: string): Promise<boolean> {
  const row = await db.kysely
    .selectFrom('stripe_events')
    .select('id')
    .where('id', '=', eventId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Claims an event id; false when it was already processed (the caller then changes nothing). */
export async function claimEvent(
  tx: Tx,
  event: { id: string; type: string; created: number },
): Promise<boolean> {
  const row = await tx
    .insertInto('stripe_events')
    .values({ id: event.id, type: event.type, created_at: new Date(event.created * 1000) })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The organisation a Stripe subscription or customer belongs to, from what checkout stored. */
export async function orgOfStripe(
  tx: Tx,
  ref: { subscriptionId?: string | undefined; customerId?: string | undefined },
): Promise<string | undefined> {
  if (ref.subscriptionId) {
    const row = await tx
      .selectFrom('billing_customers')
      .select('org_id')
      .where('stripe_subscription_id', '=', ref.subscriptionId)
      .executeTakeFirst();
    if (row) return row.org_id;
  }
  if (ref.customerId) {
    const row = await tx
      .selectFrom('billing_customers')
      .select('org_id')
      .where('stripe_customer_id', '=', ref.customerId)
      .executeTakeFirst();
    if (row) return row.org_id;
  }
  return undefined;
}

export interface BillingUpdate {
  stripe_customer_id?: string | null;
  stripe_subscription_id?: string | null;
  status?: string;
  price_id?: string | null;
  current_period_end?: Date | null;
  cancel_at_period_end?: boolean;
}

export async function upsertBilling(tx: Tx, orgId: string, update: BillingUpdate): Promise<void> {
  const now = new Date();
  await tx
    .insertInto('billing_customers')
    .values({ org_id: orgId, ...update, updated_at: now })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...update, updated_at: now }))
    .execute();
}

export function orgOf(tx: Tx, orgId: string) {
  return tx.selectFrom('orgs').select(['id', 'name', 'plan']).where('id', '=', orgId).executeTakeFirst();
}

export async function ownerEmails(tx: Tx, orgId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.email')
    .where('memberships.org_id', '=', orgId)
    .where('memberships.role', '=', 'owner')
    .execute();
  return rows.map((r) => r.email);
}
