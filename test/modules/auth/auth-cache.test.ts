import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/kysely.ts';
import { AUTH_CACHE_TTL_MS } from '../../../src/modules/auth/auth-cache.ts';
import { revokeSession } from '../../../src/modules/auth/sessions.ts';
import { createOrg } from '../../../src/modules/orgs/repo.ts';
import { createToken, revokeToken } from '../../../src/modules/tokens/repo.ts';
import { createTestApp, testConfig, type TestApp } from '../../http/app-helpers.ts';
import { createTestDatabase, engines, TEST_DATABASE_URL, type TestDatabase } from '../../helpers/engines.ts';
import { buildUser, sessionHeaders } from '../../helpers/trust.ts';

/**
 * Session and token lookups are cached per web process (src/modules/auth/auth-cache.ts); a
 * revocation through any other process or connection must still end access at the very next
 * request. On PostgreSQL the two apps use two pools, as two processes would; PGlite has one owner.
 */
describe.each(engines)('cached authentication on %s', (engine) => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const second =
      engine === 'postgres'
        ? {
            ...(await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema: db.schema, poolSize: 2 })),
            env: db.env,
          }
        : db;
    a = await createTestApp(engine, { db });
    b = await createTestApp(engine, { db: second });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    if (b.db !== db) await b.db.close();
    await db.close();
  });

  const session = (t: TestApp, headers: Record<string, string>) =>
    t.app.inject({ url: '/api/v1/auth/session', headers });

  it('a session revoked through another connection is refused at once where it was cached', async () => {
    const user = await buildUser(db);
    const headers = await sessionHeaders(db, testConfig(), user);
    expect((await session(b, headers)).statusCode).toBe(200); // now cached in b
    const [row] = await db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(await revokeSession(db, row!.id)).toBe(true);
    const after = await session(b, headers);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
  });

  it('a revocation committed by a transaction counts at the next request', async () => {
    const user = await buildUser(db);
    const headers = await sessionHeaders(db, testConfig(), user);
    expect((await session(b, headers)).statusCode).toBe(200); // now cached in b
    await db.kysely.transaction().execute(async (tx) => {
      await tx
        .updateTable('sessions')
        .set({ revoked_at: new Date() })
        .where('user_id', '=', user.id)
        .execute();
    });
    expect((await session(b, headers)).statusCode).toBe(401);
  });

  it('a disabled account loses its cached session on every process', async () => {
    const user = await buildUser(db);
    const headers = await sessionHeaders(db, testConfig(), user);
    expect((await session(a, headers)).statusCode).toBe(200);
    expect((await session(b, headers)).statusCode).toBe(200);
    await db.kysely.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expect((await session(a, headers)).statusCode).toBe(401);
    expect((await session(b, headers)).statusCode).toBe(401);
  });

  it('an API token revoked through another connection is refused at once', async () => {
    const user = await buildUser(db);
    const org = await createOrg(db, 'Cache test', user.id);
    const { id, token } = await createToken(db, {
      userId: user.id,
      orgId: org.id,
      name: 'ci',
      scopes: ['scans:read'],
      expiresAt: null,
    });
    const call = () => b.app.inject({ url: '/api/v1/token', headers: { authorization: `Bearer ${token}` } });
    expect((await call()).statusCode).toBe(200);
    expect((await call()).statusCode).toBe(200); // served from b's cache
    expect(await revokeToken(db, org.id, id)).toBe(true);
    const after = await call();
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('token_revoked');
  });

  it('a change of the verification time raises the epoch, so a recent-verification check never reads a stale one', async () => {
    const user = await buildUser(db);
    await sessionHeaders(db, testConfig(), user);
    const epoch = async () =>
      (await db.kysely.selectFrom('auth_epoch').select('value').executeTakeFirstOrThrow()).value;
    const before = await epoch();
    await db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date() })
      .where('user_id', '=', user.id)
      .execute();
    expect(await epoch()).toBe(before); // ordinary writes leave it alone
    await db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date(Date.now() - 30 * 60_000) })
      .where('user_id', '=', user.id)
      .execute();
    expect(Number(await epoch())).toBe(Number(before) + 1);
  });

  it('keeps a lookup for AUTH_CACHE_TTL_MS at most: a change no trigger watches shows after it', async () => {
    const user = await buildUser(db);
    const headers = await sessionHeaders(db, testConfig(), user);
    expect((await session(b, headers)).statusCode).toBe(200);
    // Idleness comes from time passing, which raises no epoch: b's entry still serves…
    await db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('user_id', '=', user.id)
      .execute();
    expect((await session(b, headers)).statusCode).toBe(200);
    // …until it is AUTH_CACHE_TTL_MS old; then the database says idle.
    await new Promise((r) => setTimeout(r, AUTH_CACHE_TTL_MS + 100));
    expect((await session(b, headers)).statusCode).toBe(401);
  });
});
