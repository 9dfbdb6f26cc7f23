import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { engines } from '../../helpers/engines.ts';
import { buildUser } from '../../helpers/trust.ts';
import { createIdentityApp, signIn, type IdentityTestApp, type SignedIn } from '../auth/helpers.ts';

describe.each(engines)('organisation settings changes in the audit chain (%s)', (engine) => {
  let t: IdentityTestApp;
  let owner: SignedIn;
  let orgId: string;

  beforeAll(async () => {
    t = await createIdentityApp(engine, { ALLOW_PRIVATE_TARGETS: 'true' });
    owner = await signIn(t, 'owner@settings.example');
    const org = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: owner.headers,
      payload: { name: 'Settings' },
    });
    expect(org.statusCode).toBe(201);
    orgId = org.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  const entries = async () =>
    (
      await t.db.kysely
        .selectFrom('audit_log')
        .select(['seq', 'action', 'actor_id', 'target_type', 'target_id', 'details'])
        .orderBy('seq')
        .execute()
    ).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));

  /** Runs one change and returns the audit entries it appended. */
  async function change(
    method: 'PUT' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
    expected = 200,
  ) {
    const before = (await entries()).length;
    const res = await t.app.inject({
      method,
      url: `/api/v1/orgs/${orgId}${url}`,
      headers: owner.headers,
      ...(payload !== undefined && { payload }),
    });
    expect(res.statusCode, res.body).toBe(expected);
    return { res, added: (await entries()).slice(before) };
  }

  it('appends one entry per settings change, with ids and values but no email, and the chain verifies', async () => {
    const targets = await change('PUT', '/remediation-targets', {
      critical: 2,
      high: 5,
      medium: 20,
      low: 60,
    });
    expect(targets.added).toEqual([
      expect.objectContaining({
        action: 'org.remediation_targets_changed',
        actor_id: owner.userId,
        target_id: orgId,
        details: { orgId, via: 'session', days: { critical: 2, high: 5, medium: 20, low: 60 } },
      }),
    ]);

    const prefs = await change('PUT', '/notification-preferences', { emailEvents: [], digest: true });
    expect(prefs.added).toEqual([
      expect.objectContaining({
        action: 'org.notification_preferences_changed',
        details: expect.objectContaining({ emailEvents: [], digest: true }),
      }),
    ]);

    const hook = await change(
      'POST',
      '/webhooks',
      { url: 'http://127.0.0.1:9/hook?key=receiver-secret' },
      201,
    );
    const hookId = hook.res.json<{ id: string }>().id;
    expect(hook.added).toEqual([
      expect.objectContaining({
        action: 'org.webhook_created',
        target_id: hookId,
        details: expect.objectContaining({ host: '127.0.0.1:9' }),
      }),
    ]);
    const unhook = await change('DELETE', `/webhooks/${hookId}`, undefined, 204);
    expect(unhook.added.map((e) => [e.action, e.target_id])).toEqual([['org.webhook_deleted', hookId]]);

    const colleague = await buildUser(t.db, { email: 'colleague@settings.example' });
    const role = await change('PUT', '/members', { email: colleague.email, role: 'admin' });
    expect(role.added).toEqual([
      expect.objectContaining({
        action: 'org.member_role_changed',
        target_id: colleague.id,
        details: expect.objectContaining({ role: 'admin', previous: null }),
      }),
    ]);
    const demoted = await change('PUT', '/members', { email: colleague.email, role: 'viewer' });
    expect(demoted.added[0]?.details).toMatchObject({ role: 'viewer', previous: 'admin' });
    const removed = await change('DELETE', `/members/${colleague.id}`, undefined, 204);
    expect(removed.added.map((e) => [e.action, e.details.previous])).toEqual([
      ['org.member_removed', 'viewer'],
    ]);

    const token = await change('POST', '/tokens', { name: 'ci', scopes: ['scans:read'] }, 201);
    const tokenId = token.res.json<{ id: string }>().id;
    expect(token.added).toEqual([
      expect.objectContaining({
        action: 'org.token_created',
        target_id: tokenId,
        details: expect.objectContaining({ scopes: ['scans:read'] }),
      }),
    ]);
    const secret = token.res.json<{ token: string }>().token;
    const revoked = await change('DELETE', `/tokens/${tokenId}`, undefined, 204);
    expect(revoked.added.map((e) => [e.action, e.target_id])).toEqual([['org.token_revoked', tokenId]]);

    const site = await change('POST', '/sites', { url: 'https://shop.settings.example/' }, 201);
    const siteId = site.res.json<{ id: string }>().id;
    await t.db.kysely
      .updateTable('sites')
      .set({ verified_at: new Date() })
      .where('id', '=', siteId)
      .execute();
    const schedule = await change('PUT', `/sites/${siteId}/schedule`, { schedule: 'daily' });
    expect(schedule.added).toEqual([
      expect.objectContaining({
        action: 'org.schedule_changed',
        target_id: siteId,
        details: expect.objectContaining({ schedule: 'daily', previous: null }),
      }),
    ]);
    const stopped = await change('PUT', `/sites/${siteId}/schedule`, { schedule: null });
    expect(stopped.added[0]?.details).toMatchObject({ schedule: null, previous: 'daily' });

    const all = JSON.stringify(await entries());
    expect(all).not.toContain('@settings.example');
    expect(all).not.toContain('receiver-secret');
    expect(all).not.toContain(secret);
    const verified = await verifyAuditChain(t.db);
    expect(verified).toMatchObject({ ok: true, count: (await entries()).length });
  });

  it('a refused change leaves no entry', async () => {
    const before = await entries();
    await change('PUT', '/remediation-targets', { critical: 0, high: 5, medium: 20, low: 60 }, 400);
    await change('DELETE', '/webhooks/00000000-0000-4000-8000-000000000000', undefined, 404);
    await change('PUT', '/members', { email: 'owner@settings.example', role: 'viewer' }, 409);
    expect(await entries()).toEqual(before);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
