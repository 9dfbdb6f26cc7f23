import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { open, seal, supportKeyring } from '../../../src/modules/support/keyring.ts';
import { rotateSupportKeys } from '../../../src/modules/support/service.ts';
import { engines } from '../../helpers/engines.ts';
import { buildStaff, buildUser, sessionHeaders } from '../../helpers/trust.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { BASE_URL, createIdentityApp, mailTo, type IdentityTestApp } from '../auth/helpers.ts';

const K1 = `k1:${'1'.repeat(64)}`;
const K2 = `k2:${'2'.repeat(64)}`;

describe('support keyring', () => {
  const ring = supportKeyring(testConfig());
  it('round-trips, and refuses a tampered ciphertext or one moved to another row', () => {
    const { keyId, sealed } = seal(ring, 'hello', 'row-1');
    expect(keyId).toBe('app0');
    expect(open(ring, keyId, sealed, 'row-1')).toBe('hello');
    expect(() => open(ring, keyId, sealed, 'row-2')).toThrow();
    const [iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => open(ring, keyId, [iv, flipped.toString('base64url'), tag].join('.'), 'row-1')).toThrow();
  });
  it('encrypts with the last key of SUPPORT_KEYS', () => {
    expect(supportKeyring(testConfig({ SUPPORT_KEYS: `${K1},${K2}` })).currentId).toBe('k2');
  });
});

describe.each(engines)('support inbox on %s', (engine) => {
  let t: IdentityTestApp;
  const config = testConfig({ BASE_URL, SUPPORT_KEYS: K1 });
  beforeAll(async () => {
    t = await createIdentityApp(engine, { SUPPORT_KEYS: K1 });
  });
  afterAll(async () => t.close());

  it('stores messages sealed, shows them to their author and the support role only, replies by mail, rotates keys', async () => {
    const user = await buildUser(t.db, { email: 'customer@example.org' });
    const headers = await sessionHeaders(t.db, config, user);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/support/messages',
      headers,
      payload: { subject: '', body: 'x' },
    });
    expect(bad.json().error.code).toBe('validation_failed');
    expect(await t.db.kysely.selectFrom('support_messages').selectAll().execute()).toEqual([]);

    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/support/messages',
      headers,
      payload: { subject: 'Scan stuck', body: 'My secret-ish scan detail' },
    });
    expect(sent.statusCode).toBe(201);
    const rows = await t.db.kysely.selectFrom('support_messages').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_id).toBe('k1');
    expect(JSON.stringify(rows)).not.toMatch(/Scan stuck|secret-ish/);

    const own = await t.app.inject({ url: '/api/v1/support/messages', headers });
    expect(own.json().messages).toMatchObject([
      { subject: 'Scan stuck', body: 'My secret-ish scan detail', direction: 'in' },
    ]);
    expect((await t.app.inject({ url: '/api/v1/admin/support/messages', headers })).statusCode).toBe(404);

    const support = await buildStaff(t.db, config, 'support');
    const inbox = await t.app.inject({ url: '/api/v1/admin/support/messages', headers: support.headers });
    expect(inbox.json().messages[0]).toMatchObject({ subject: 'Scan stuck' });

    const before = t.mails.length;
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/support/messages/${sent.json().id}/reply`,
      headers: support.headers,
      payload: { body: 'Fixed now.' },
    });
    expect(answered.statusCode).toBe(201);
    expect((await mailTo(t.mails, 'customer@example.org', /Re: Scan stuck/, before)).text).toContain(
      'Fixed now.',
    );

    const rotated = await rotateSupportKeys(t.db, testConfig({ SUPPORT_KEYS: `${K1},${K2}` }));
    expect(rotated).toEqual({ keyId: 'k2', resealed: 2 });
    const after = await t.db.kysely
      .selectFrom('support_messages')
      .select(['id', 'key_id', 'sealed_body'])
      .execute();
    const onlyK2 = supportKeyring(testConfig({ SUPPORT_KEYS: K2 }));
    for (const row of after) expect(row.key_id).toBe('k2');
    expect(after.map((r) => JSON.parse(open(onlyK2, r.key_id, r.sealed_body, r.id)).body).sort()).toEqual([
      'Fixed now.',
      'My secret-ish scan detail',
    ]);
    const actions = (await t.db.kysely.selectFrom('audit_log').select('action').execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['support.replied', 'support.keys_rotated']));
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
