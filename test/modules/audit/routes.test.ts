import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../../src/modules/audit/service.ts';
import { engines } from '../../helpers/engines.ts';
import { buildStaff, buildUser } from '../../helpers/trust.ts';
import { createTestApp, testConfig, type TestApp } from '../../http/app-helpers.ts';

describe.each(engines)('audit viewer on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t.close());

  it('filters entries for the security role, verifies on demand, and hides itself from support', async () => {
    await appendAudit(t.db, { action: 'role.granted', targetId: 'u1', details: { role: 'support' } });
    await appendAudit(t.db, { action: 'role.revoked', targetId: 'u1' });
    await appendAudit(t.db, { action: 'support.replied', targetId: 't1' });
    const support = await buildStaff(t.db, testConfig(), 'support');
    expect((await t.app.inject({ url: '/api/v1/admin/audit', headers: support.headers })).statusCode).toBe(
      404,
    );

    const { headers } = await buildStaff(t.db, testConfig(), 'security');
    const roles = await t.app.inject({ url: '/api/v1/admin/audit?action=role.', headers });
    expect(roles.json().entries.map((e: { action: string }) => e.action)).toEqual([
      'role.revoked',
      'role.granted',
    ]);
    expect(roles.json().entries[1].details).toEqual({ role: 'support' });
    const bad = await t.app.inject({ url: '/api/v1/admin/audit?limit=1000', headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const verify = await t.app.inject({ url: '/api/v1/admin/audit/verify', headers });
    expect(verify.json()).toEqual({
      ok: true,
      message: expect.stringMatching(/^Audit chain intact: 3 entries/),
    });
  });

  it('shows e-mails instead of ids and filters by the actor’s e-mail', async () => {
    const alice = await buildUser(t.db, { email: 'alice@example.test' });
    const bob = await buildUser(t.db, { email: 'bob@example.test' });
    await appendAudit(t.db, {
      action: 'org.member_removed',
      actorId: alice.id,
      actorEmail: 'alice@example.test',
      targetType: 'user',
      targetId: bob.id,
    });
    // A gone account: the e-mail recorded with the entry is still shown.
    await appendAudit(t.db, {
      action: 'org.member_left',
      actorId: randomUUID(),
      actorEmail: 'gone@example.test',
    });
    await appendAudit(t.db, { action: 'org.token_created', actorId: bob.id, actorEmail: 'bob@example.test' });
    const { headers } = await buildStaff(t.db, testConfig(), 'security');
    const all = await t.app.inject({ url: '/api/v1/admin/audit?action=org.', headers });
    expect(
      all
        .json()
        .entries.map((e: { action: string; actorEmail: string; targetEmail: string | null }) => [
          e.action,
          e.actorEmail,
          e.targetEmail,
        ]),
    ).toEqual([
      ['org.token_created', 'bob@example.test', null],
      ['org.member_left', 'gone@example.test', null],
      ['org.member_removed', 'alice@example.test', 'bob@example.test'],
    ]);
    const byAlice = await t.app.inject({ url: '/api/v1/admin/audit?actorEmail=ALICE@example.test', headers });
    expect(byAlice.json().entries.map((e: { action: string }) => e.action)).toEqual(['org.member_removed']);
    const byGone = await t.app.inject({ url: '/api/v1/admin/audit?actorEmail=gone@example.test', headers });
    expect(byGone.json().entries.map((e: { action: string }) => e.action)).toEqual(['org.member_left']);
    const bad = await t.app.inject({ url: '/api/v1/admin/audit?actorEmail=not-an-email', headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      { path: 'querystring.actorEmail', message: 'must match format "email"' },
    ]);
  });
});
