import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/kysely.ts';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { open, seal, supportKeyring } from '../../../src/modules/support/keyring.ts';
import { rotateSupportKeys } from '../../../src/modules/support/service.ts';
import { engines } from '../../helpers/engines.ts';
import { buildStaff, buildUser, sessionHeaders } from '../../helpers/trust.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { BASE_URL, createIdentityApp, mailTo, type IdentityTestApp } from '../auth/helpers.ts';

const K1 = `k1:${'1'.repeat(64)}`;

/** An organisation with one member, one site and one scan of it. */
async function buildOrgWithScan(db: Database, userId: string, name: string) {
  const orgId = randomUUID();
  const siteId = randomUUID();
  const scanId = randomUUID();
  await db.kysely.insertInto('orgs').values({ id: orgId, name }).execute();
  await db.kysely
    .insertInto('memberships')
    .values({ org_id: orgId, user_id: userId, role: 'owner' })
    .execute();
  await db.kysely
    .insertInto('sites')
    .values({
      id: siteId,
      org_id: orgId,
      url: `https://${name}.example/`,
      host: `${name}.example`,
      name: `${name} shop`,
      verification_token: 'x',
    })
    .execute();
  await db.kysely
    .insertInto('scans')
    .values({
      id: scanId,
      org_id: orgId,
      site_id: siteId,
      source: 'api',
      target: `https://${name}.example/`,
      host: `${name}.example`,
      status: 'succeeded',
    })
    .execute();
  return { orgId, siteId, scanId };
}
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

  it("the inbox names the account by its current email and the site and scan of the sender's organisations", async () => {
    // The test above re-sealed its messages under a key this app does not hold.
    await t.db.kysely.deleteFrom('support_messages').execute();
    const support = await buildStaff(t.db, config, 'support');
    const inboxOf = async () => {
      const res = await t.app.inject({ url: '/api/v1/admin/support/messages', headers: support.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ messages: Record<string, unknown>[] }>().messages;
    };
    const user = await buildUser(t.db, { email: 'shopkeeper@example.org' });
    const other = await buildUser(t.db, { email: 'someone-else@example.org' });
    const own = await buildOrgWithScan(t.db, user.id, 'mine');
    const foreign = await buildOrgWithScan(t.db, other.id, 'theirs');
    const headers = await sessionHeaders(t.db, config, user);
    const send = async (payload: Record<string, string>) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/support/messages', headers, payload });
      expect(res.statusCode).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const about = await send({ subject: 'About my scan', body: 'b', siteId: own.siteId, scanId: own.scanId });
    const plain = await send({ subject: 'No site', body: 'b' });
    // Ids of another customer's site and scan are kept as sent, but not resolved for the inbox.
    const elsewhere = await send({
      subject: 'Not mine',
      body: 'b',
      siteId: foreign.siteId,
      scanId: foreign.scanId,
    });

    const byId = (messages: Record<string, unknown>[], id: string) => messages.find((m) => m.id === id);
    let messages = await inboxOf();
    expect(byId(messages, about)).toMatchObject({
      userId: user.id,
      userEmail: 'shopkeeper@example.org',
      siteId: own.siteId,
      scanId: own.scanId,
      site: { id: own.siteId, name: 'mine shop', url: 'https://mine.example/' },
      scan: { id: own.scanId, siteId: own.siteId, target: 'https://mine.example/', status: 'succeeded' },
    });
    expect(byId(messages, plain)).toMatchObject({
      userEmail: 'shopkeeper@example.org',
      site: null,
      scan: null,
    });
    expect(byId(messages, elsewhere)).toMatchObject({
      siteId: foreign.siteId,
      scanId: foreign.scanId,
      site: null,
      scan: null,
    });
    expect(JSON.stringify(messages)).not.toContain('someone-else@example.org');
    expect(JSON.stringify(messages)).not.toContain('theirs shop');

    // The current email, not the one at the time of writing.
    await t.db.kysely
      .updateTable('users')
      .set({ email: 'renamed@example.org' })
      .where('id', '=', user.id)
      .execute();
    messages = await inboxOf();
    expect(byId(messages, about)).toMatchObject({ userEmail: 'renamed@example.org' });
    expect(JSON.stringify(messages)).not.toContain('shopkeeper@example.org');

    // A message no longer tied to an account: no email, and no site or scan to claim.
    await t.db.kysely
      .updateTable('support_messages')
      .set({ user_id: null })
      .where('id', '=', about)
      .execute();
    messages = await inboxOf();
    expect(byId(messages, about)).toMatchObject({ userId: null, userEmail: null, site: null, scan: null });

    // The author's own list is unchanged: no email, site or scan fields.
    const mine = await t.app.inject({ url: '/api/v1/support/messages', headers });
    const listed = mine.json<{ messages: Record<string, unknown>[] }>().messages;
    expect(listed.length).toBeGreaterThan(0);
    for (const m of listed) expect(Object.keys(m)).not.toContain('userEmail');
  });

  it("a message's body cannot claim another account, message or direction (refused, nothing stored)", async () => {
    await t.db.kysely.deleteFrom('support_messages').execute();
    const attacker = await buildUser(t.db, { email: 'spoofer@example.org' });
    const victim = await buildUser(t.db, { email: 'victim@example.org' });
    const target = await buildOrgWithScan(t.db, victim.id, 'victimco');
    const headers = await sessionHeaders(t.db, config, attacker);
    for (const extra of [
      { userId: victim.id },
      { id: randomUUID() },
      { threadId: randomUUID() },
      { direction: 'out' },
      { createdAt: '2000-01-01T00:00:00.000Z' },
    ]) {
      const sent = await t.app.inject({
        method: 'POST',
        url: '/api/v1/support/messages',
        headers,
        payload: { subject: 'Spoofed', body: 'b', siteId: target.siteId, scanId: target.scanId, ...extra },
      });
      expect(sent.statusCode, JSON.stringify(extra)).toBe(400);
      expect(sent.json().error.code).toBe('validation_failed');
    }
    expect(await t.db.kysely.selectFrom('support_messages').select('id').execute()).toEqual([]);
  });
});
