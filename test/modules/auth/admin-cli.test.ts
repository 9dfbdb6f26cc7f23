import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/kysely.ts';
import { runCli } from '../../helpers/cli.ts';
import { TEST_DATABASE_URL, dropSchemas, uniqueSchema } from '../../helpers/engines.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The CLI runs in its own process, so the shared engine is PostgreSQL; on the embedded engine
// the same commands go through DATA_DIR, covered by the pglite case below.
describe.each(['postgres', 'pglite'] as const)('vioscan admin (%s)', (engine) => {
  const schema = uniqueSchema();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-admin-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    APP_SECRET: 'a'.repeat(64),
    BACKUP_KEY: 'b'.repeat(64),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(engine === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
  };
  afterAll(async () => {
    if (engine === 'postgres') await dropSchemas(schema);
  });

  async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(
      engine === 'postgres'
        ? { databaseUrl: TEST_DATABASE_URL, schema }
        : { pgliteDir: path.join(dataDir, 'pgdata') },
    );
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    const created = await runCli(['admin', 'create', 'root@example.com', '--role', 'admin'], env, 170_000);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
  }, 400_000);

  it('create bootstraps an admin; a duplicate or a bad role is a usage error', async () => {
    const dup = await runCli(['admin', 'create', 'root@example.com', '--role', 'admin'], env, 170_000);
    expect(dup.code, dup.stderr).toBe(2);
    expect(dup.stderr).toContain('conflict');
    const bad = await runCli(['admin', 'create', 'x@example.com', '--role', 'god'], env, 170_000);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role must be one of support, security, admin');
    const row = await withDb((db) =>
      db.kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'root@example.com')
        .executeTakeFirstOrThrow(),
    );
    expect(row.platform_role).toBe('admin');
  }, 400_000);

  it('grant refuses an account without a second factor; access-review lists and attests; offboard disables', async () => {
    await withDb(async (db) => {
      await db.kysely
        .insertInto('users')
        .values({ id: crypto.randomUUID(), email: 'helper@example.com' })
        .execute();
    });
    const grant = await runCli(['admin', 'grant', 'helper@example.com', '--role', 'support'], env, 170_000);
    expect(grant.code, grant.stderr).toBe(2);
    expect(grant.stderr).toContain('mfa_enrollment_required');
    expect(
      await withDb((db) =>
        db.kysely
          .selectFrom('users')
          .select('platform_role')
          .where('email', '=', 'helper@example.com')
          .executeTakeFirstOrThrow(),
      ),
    ).toEqual({ platform_role: 'user' });

    const review = await runCli(
      ['admin', 'access-review', '--json', '--attest', 'Reviewed Q3', '--reviewer', 'ciso'],
      env,
    );
    expect(review.code, review.stderr).toBe(0);
    const parsed = JSON.parse(review.stdout) as {
      accounts: { email: string; mfa: boolean; idle: boolean }[];
      reviewId: string;
    };
    expect(parsed.accounts).toEqual([expect.objectContaining({ email: 'root@example.com', mfa: false })]);
    expect(parsed.reviewId).toMatch(/^[0-9a-f-]{36}$/);

    const off = await runCli(['admin', 'offboard', 'root@example.com'], env, 170_000);
    expect(off.code, off.stderr).toBe(0);
    const after = await withDb((db) =>
      db.kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'root@example.com')
        .executeTakeFirstOrThrow(),
    );
    expect(after).toMatchObject({ status: 'disabled', platform_role: 'user' });
    const events = await withDb((db) =>
      db.kysely.selectFrom('security_events').select('type').orderBy('id').execute(),
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['role.granted', 'access_review.attested', 'account.offboarded']),
    );
  }, 600_000);
});
