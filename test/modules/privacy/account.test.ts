import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/kysely.ts';
import { appendAudit, verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { buildPendingExports } from '../../../src/modules/privacy/export.ts';
import { emailRef } from '../../../src/modules/security-events/service.ts';
import { engines } from '../../helpers/engines.ts';
import { buildUser, sessionHeaders } from '../../helpers/trust.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { BASE_URL, createIdentityApp, mailTo, type IdentityTestApp } from '../auth/helpers.ts';

/** Every text column of every table in our schema that contains one of the needles. */
async function findEverywhere(db: Database, needles: string[]): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       and c.data_type in ('text', 'character varying', 'jsonb', 'json')`.execute(db.kysely);
  const hits: string[] = [];
  for (const { table_name, column_name } of columns.rows) {
    for (const needle of needles) {
      const found = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}
        where position(lower(${needle}) in lower(${sql.ref(column_name)}::text)) > 0`.execute(db.kysely);
      if (found.rows[0]!.n > 0) hits.push(`${table_name}.${column_name} ∋ ${needle}`);
    }
  }
  return hits;
}

describe.each(engines)('account privacy on %s', (engine) => {
  let t: IdentityTestApp;
  const config = testConfig({ BASE_URL });
  beforeAll(async () => {
    t = await createIdentityApp(engine);
  });
  afterAll(async () => t.close());

  it('lists consents with versions, gives and withdraws optional ones, refuses to withdraw the terms', async () => {
    const user = await buildUser(t.db);
    const headers = await sessionHeaders(t.db, config, user);
    const list = await t.app.inject({ url: '/api/v1/account/consents', headers });
    expect(list.json().consents).toContainEqual(
      expect.objectContaining({ kind: 'terms', granted: true, version: '2025-08' }),
    );
    const given = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/account/consents/product_email',
      headers,
      payload: { granted: true },
    });
    expect(given.json().consents).toContainEqual(
      expect.objectContaining({ kind: 'product_email', granted: true }),
    );
    const withdrawn = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/account/consents/product_email',
      headers,
      payload: { granted: false },
    });
    expect(withdrawn.json().consents).toContainEqual(
      expect.objectContaining({ kind: 'product_email', granted: false, withdrawnAt: expect.any(String) }),
    );
    const before = await t.db.kysely.selectFrom('consents').selectAll().execute();
    const refused = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/account/consents/terms',
      headers,
      payload: { granted: false },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('consent_required');
    expect(await t.db.kysely.selectFrom('consents').selectAll().execute()).toEqual(before);
  });

  it('builds an export in the background behind an expiring link', async () => {
    const user = await buildUser(t.db);
    const headers = await sessionHeaders(t.db, config, user);
    const requested = await t.app.inject({
      method: 'POST',
      url: '/api/v1/account/exports',
      headers,
      payload: {},
    });
    expect(requested.statusCode).toBe(202);
    const { url, id } = requested.json<{ url: string; id: string }>();
    expect((await t.app.inject({ url, headers })).json().error.code).toBe('export_not_ready');
    expect(await buildPendingExports(t.db, config)).toBe(1);
    const archive = await t.app.inject({ url, headers });
    expect(archive.statusCode).toBe(200);
    expect(archive.json()).toMatchObject({ format: 'vioscan-export/1', account: { email: user.email } });
    expect(
      (await t.app.inject({ url: `/api/v1/account/exports/${id}?token=${'x'.repeat(43)}`, headers }))
        .statusCode,
    ).toBe(404);
    await t.db.kysely
      .updateTable('data_exports')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    const expired = await t.app.inject({ url, headers });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('export_expired');
  });

  it('deletes an account: fresh verification and confirmation, access ends, orgs handed over, no email or IP left anywhere', async () => {
    const email = 'leaving@example.org';
    const [ipSession, ipEvent, ipAttempt] = ['198.51.100.71', '203.0.113.72', '192.0.2.73'];
    const user = await buildUser(t.db, { email });
    const colleague = await buildUser(t.db);
    const [alone, shared] = [randomUUID(), randomUUID()];
    await t.db.kysely
      .insertInto('orgs')
      .values([
        { id: alone, name: 'Solo' },
        { id: shared, name: 'Team' },
      ])
      .execute();
    await t.db.kysely
      .insertInto('memberships')
      .values([
        { org_id: alone, user_id: user.id, role: 'owner' },
        { org_id: shared, user_id: user.id, role: 'owner' },
        { org_id: shared, user_id: colleague.id, role: 'admin' },
      ])
      .execute();
    await t.db.kysely
      .insertInto('security_events')
      .values([
        {
          type: 'auth.sign_in.requested',
          outcome: 'success',
          subject: emailRef(config.appSecret, email),
          ip: ipEvent,
        },
        { type: 'session.created', outcome: 'success', user_id: user.id, ip: ipEvent },
      ])
      .execute();
    await t.db.kysely
      .insertInto('sign_in_attempts')
      .values({
        id: randomUUID(),
        email,
        code_hash: 'c',
        link_hash: randomUUID(),
        nonce_hash: 'n',
        ip: ipAttempt,
        expires_at: new Date(),
      })
      .execute();
    await appendAudit(t.db, { action: 'role.granted', actorId: user.id, actorEmail: email, ip: ipEvent });
    // A staff access review names the reviewer and the reviewed accounts by email.
    const reviewId = randomUUID();
    await t.db.kysely
      .insertInto('access_reviews')
      .values({
        id: reviewId,
        reviewer: email,
        attestation: 'Reviewed',
        accounts: JSON.stringify([{ id: user.id, email, role: 'admin' }]),
      })
      .execute();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/disclosure/reports',
      remoteAddress: ipSession,
      payload: { title: 'A finding', description: 'Described well enough.', email },
    });
    const headers = await sessionHeaders(t.db, config, user, { ip: ipSession });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/support/messages',
      headers,
      remoteAddress: ipSession,
      payload: { subject: 'Hi', body: `I am ${email}` },
    });
    const usersBefore = await t.db.kysely.selectFrom('users').selectAll().execute();
    // The search must be able to see what it later proves gone.
    expect(
      (await findEverywhere(t.db, [email, ipSession, ipEvent, ipAttempt])).length,
    ).toBeGreaterThanOrEqual(6);

    const stale = await sessionHeaders(t.db, config, user, {
      ip: ipSession,
      authAt: new Date(Date.now() - 3_600_000),
    });
    const deleteAccount = (confirm: string, as = headers) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/account/delete',
        headers: as,
        remoteAddress: ipSession,
        payload: { confirm },
      });
    const tooOld = await deleteAccount('delete my account', stale);
    expect(tooOld.json().error.code).toBe('reauth_required');
    const unconfirmed = await deleteAccount('yes');
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().error.code).toBe('confirmation_required');
    expect(await t.db.kysely.selectFrom('users').selectAll().execute()).toEqual(usersBefore);

    const before = t.mails.length;
    const deleted = await deleteAccount('Delete my account');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: true, orgsDeleted: 1, orgsTransferred: 1 });
    await mailTo(t.mails, email, /account has been deleted/, before);

    expect(await findEverywhere(t.db, [email, ipSession, ipEvent, ipAttempt])).toEqual([]);
    // The attestation itself is kept, with the address replaced.
    const review = await t.db.kysely
      .selectFrom('access_reviews')
      .selectAll()
      .where('id', '=', reviewId)
      .executeTakeFirstOrThrow();
    expect(review).toMatchObject({ reviewer: 'deleted account', attestation: 'Reviewed' });
    expect(JSON.parse(review.accounts)).toEqual([{ id: user.id, email: 'deleted account', role: 'admin' }]);
    expect(
      await t.db.kysely.selectFrom('orgs').select('id').where('id', 'in', [alone, shared]).execute(),
    ).toEqual([{ id: shared }]);
    expect(
      await t.db.kysely
        .selectFrom('memberships')
        .select(['user_id', 'role'])
        .where('org_id', '=', shared)
        .execute(),
    ).toEqual([{ user_id: colleague.id, role: 'owner' }]);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', user.id)
      .execute();
    expect(audit).toEqual([{ action: 'account.deleted' }]);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    const after = await t.app.inject({ url: '/api/v1/auth/session', headers, remoteAddress: '10.1.1.1' });
    expect(after.statusCode).toBe(401);
  });
});
