import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { createOrg } from '../../../src/modules/orgs/repo.ts';
import { deleteAccount } from '../../../src/modules/privacy/deletion.ts';
import { dataInventory } from '../../../src/modules/privacy/inventory.ts';
import { runRetentionPurge } from '../../../src/modules/privacy/purge.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { buildUser } from '../../helpers/trust.ts';
import { testConfig } from '../../http/app-helpers.ts';

const DAY = 86_400_000;

describe.each(engines)('billing references and privacy (%s)', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(async () => db.close());

  const rows = () => db.kysely.selectFrom('billing_customers').selectAll().orderBy('org_id').execute();

  it('the data inventory covers the billing table with a legal basis', () => {
    const billing = dataInventory.find((c) => c.id === 'billing')!;
    expect(billing.legalBasis).toBe('legal obligation');
    expect(billing.storage).toEqual([
      {
        table: 'billing_customers',
        columns: ['stripe_customer_id', 'stripe_subscription_id', 'price_id', 'current_period_end'],
      },
    ]);
    expect(billing.purge).toMatchObject([{ table: 'billing_customers', olderThan: 'org_deleted_at' }]);
  });

  it('account deletion keeps the billing references of a deleted organisation, marked; the purge ages them out', async () => {
    const user = await buildUser(db);
    const other = await buildUser(db);
    const org = await createOrg(db, 'Alone', user.id);
    const kept = await createOrg(db, 'Kept', other.id);
    await db.kysely
      .insertInto('billing_customers')
      .values([
        {
          org_id: org.id,
          stripe_customer_id: 'cus_gone',
          stripe_subscription_id: 'sub_gone',
          status: 'active',
        },
        {
          org_id: kept.id,
          stripe_customer_id: 'cus_kept',
          status: 'active',
          created_at: new Date(Date.now() - 4000 * DAY),
        },
      ])
      .execute();
    const mailer = { send: async () => {}, close: () => {} };
    const result = await deleteAccount(db, testConfig(), mailer, { id: user.id, email: user.email });
    expect(result).toEqual({ orgsDeleted: 1, orgsTransferred: 0 });
    expect(await db.kysely.selectFrom('orgs').select('id').where('id', '=', org.id).execute()).toEqual([]);
    const after = await rows();
    const gone = after.find((r) => r.org_id === org.id)!;
    expect(gone).toMatchObject({ stripe_customer_id: 'cus_gone', stripe_subscription_id: 'sub_gone' });
    expect(gone.org_deleted_at).toBeInstanceOf(Date);
    expect(after.find((r) => r.org_id === kept.id)!.org_deleted_at).toBeNull();
    const audit = await db.kysely
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'account.deleted')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ orgsDeleted: 1, billingReferencesKept: 1 });
    expect((await verifyAuditChain(db)).ok).toBe(true);

    const billingClass = dataInventory.filter((c) => c.id === 'billing');
    // Within the ten years nothing goes; a live organisation's row never goes, however old.
    await runRetentionPurge(db, testConfig(), billingClass);
    expect((await rows()).map((r) => r.org_id).sort()).toEqual([org.id, kept.id].sort());
    await db.kysely
      .updateTable('billing_customers')
      .set({ org_deleted_at: new Date(Date.now() - 3651 * DAY) })
      .where('org_id', '=', org.id)
      .execute();
    const outcomes = await runRetentionPurge(db, testConfig(), billingClass);
    expect(outcomes).toMatchObject([{ classId: 'billing', affected: 1 }]);
    expect((await rows()).map((r) => r.org_id)).toEqual([kept.id]);
  });
});
