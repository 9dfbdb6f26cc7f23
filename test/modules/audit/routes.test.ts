import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../../src/modules/audit/service.ts';
import { engines } from '../../helpers/engines.ts';
import { buildStaff } from '../../helpers/trust.ts';
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
});
