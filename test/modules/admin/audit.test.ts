import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createStaff,
  grantRole,
  offboard,
  revokeRole,
  type AdminContext,
} from '../../../src/modules/admin/service.ts';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { createSecurityEvents } from '../../../src/modules/security-events/service.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';

describe.each(engines)('staff changes in the audit chain (%s)', (engine) => {
  let db: TestDatabase | undefined;

  afterEach(async () => {
    await db?.close();
  });

  async function context(): Promise<AdminContext> {
    db = await createTestDatabase(engine);
    const events = createSecurityEvents(db, pino({ level: 'silent' }), 'a'.repeat(64));
    return { db, events, actorId: null, via: 'cli' };
  }

  const auditActions = async () =>
    (
      await db!.kysely
        .selectFrom('audit_log')
        .select(['action', 'target_id', 'details'])
        .orderBy('seq')
        .execute()
    ).map((r) => [r.action, r.target_id, JSON.parse(r.details) as Record<string, unknown>]);

  it('appends role grants, revocations and offboarding, and the chain verifies', async () => {
    const ctx = await context();
    const admin = await createStaff(ctx, 'first-admin@example.test', 'admin');
    const member = await createStaff(ctx, 'member@example.test', 'user');
    await db!.kysely
      .updateTable('users')
      .set({ totp_enabled_at: new Date() })
      .where('id', '=', member.id)
      .execute();
    await grantRole(ctx, 'member@example.test', 'support');
    await revokeRole(ctx, 'member@example.test');
    await offboard(ctx, 'first-admin@example.test');

    const actions = await auditActions();
    expect(actions.map(([action, target]) => [action, target])).toEqual([
      ['role.granted', admin.id],
      ['role.granted', member.id],
      ['role.granted', member.id],
      ['role.revoked', member.id],
      ['account.offboarded', admin.id],
    ]);
    expect(actions[2]![2]).toMatchObject({ role: 'support', previous: 'user', via: 'cli' });
    expect(JSON.stringify(actions)).not.toContain('@example.test');
    expect(await verifyAuditChain(db!)).toMatchObject({ ok: true, count: 5 });
  });

  it('a refused grant is a security event but not an audit entry', async () => {
    const ctx = await context();
    await createStaff(ctx, 'nofactor@example.test', 'user');
    const before = await auditActions();
    await expect(grantRole(ctx, 'nofactor@example.test', 'admin')).rejects.toMatchObject({
      code: 'mfa_enrollment_required',
    });
    expect(await auditActions()).toEqual(before);
    const refused = await db!.kysely
      .selectFrom('security_events')
      .select('outcome')
      .where('type', '=', 'role.granted')
      .where('outcome', '=', 'failure')
      .execute();
    expect(refused).toHaveLength(1);
  });
});
