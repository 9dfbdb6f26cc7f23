import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/kysely.ts';
import { appendAudit, verifyAuditChain } from '../../src/modules/audit/service.ts';
import { openRuntime } from '../../src/ops/runtime.ts';
import { runCli } from '../helpers/cli.ts';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/engines.ts';
import { createTestApp, testConfig } from '../http/app-helpers.ts';

/**
 * `vioscan migrate grant` (docs/trust.md "Database roles"): on PostgreSQL the application role
 * may append to and read the audit log but not change it, even with the trigger gone, and the
 * service works as that role. The role and the schemas are unique to this file and dropped after.
 */
const secrets = { APP_SECRET: 'a'.repeat(64), BACKUP_KEY: 'b'.repeat(64) };
const role = `vioscan_app_${randomBytes(4).toString('hex')}`;
const schema = uniqueSchema('approle');
const ownerEnv = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, ...secrets };
const roleUrl = (() => {
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  url.password = '';
  return url.toString();
})();
const roleEnv = { ...ownerEnv, DATABASE_URL: roleUrl };

let owner: pg.Client;
const asOwner = (text: string) => owner.query(text);

/** The role's table privileges as granted (pg_class ACLs), per schema-qualified table. */
async function grantsOf(): Promise<Record<string, string[]>> {
  const { rows } = await owner.query<{ name: string; privilege: string }>(
    `select n.nspname || '.' || c.relname as name, a.privilege_type as privilege
     from pg_class c join pg_namespace n on n.oid = c.relnamespace, aclexplode(c.relacl) a
     where n.nspname in ($1, $2) and a.grantee = $3::regrole
     order by 1, 2`,
    [schema, `${schema}_jobs`, role],
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.name] ??= []).push(r.privilege);
  return out;
}

/** Runs one statement in a fresh connection as the application role; resolves to the SQLSTATE or 'ok'. */
async function asRole(text: string): Promise<string> {
  const client = new pg.Client({ connectionString: roleUrl, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query(text);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end();
  }
}

describe('vioscan migrate grant on PostgreSQL', () => {
  beforeAll(async () => {
    owner = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await owner.connect();
    await owner.query(`create role ${role} login`);
  });
  afterAll(async () => {
    await dropSchemas(schema);
    await owner.query(`drop owned by ${role}`);
    await owner.query(`drop role if exists ${role}`);
    await owner.end();
  });

  it('migrates and grants: audit_log, audit_anchors and incident_updates select+insert, ordinary tables read-write, nothing owner-only', async () => {
    const result = await runCli(['migrate', 'grant', role], ownerEnv);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `append-only (select, insert): ${schema}.audit_anchors, ${schema}.audit_log, ${schema}.incident_updates\n`,
    );

    const grants = await grantsOf();
    expect(grants[`${schema}.audit_log`]).toEqual(['INSERT', 'SELECT']);
    expect(grants[`${schema}.audit_anchors`]).toEqual(['INSERT', 'SELECT']);
    expect(grants[`${schema}.incident_updates`]).toEqual(['INSERT', 'SELECT']);
    expect(grants[`${schema}.incidents`]).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(grants[`${schema}.audit_chain_head`]).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(grants[`${schema}.users`]).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(grants[`${schema}.kysely_migration`]).toEqual(['SELECT']);
    expect(grants[`${schema}_jobs.job`]).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    const everything = Object.values(grants).flat();
    for (const p of ['TRUNCATE', 'REFERENCES', 'TRIGGER']) expect(everything).not.toContain(p);
    const { rows } = await owner.query(
      `select has_schema_privilege($1, $2, 'USAGE') as usage, has_schema_privilege($1, $2, 'CREATE') as create,
              has_schema_privilege($1, $3, 'USAGE') as jobs_usage, has_schema_privilege($1, $3, 'CREATE') as jobs_create`,
      [role, schema, `${schema}_jobs`],
    );
    expect(rows[0]).toEqual({ usage: true, create: false, jobs_usage: true, jobs_create: false });
    // The job queues exist before the service starts: their partitions are tables it may not create.
    expect(Object.keys(grants).filter((t) => t.startsWith(`${schema}_jobs.j`)).length).toBeGreaterThan(5);
  });

  it('is idempotent, and a second run takes back a privilege granted by hand', async () => {
    const before = await grantsOf();
    await asOwner(`grant update, delete, truncate on "${schema}".audit_log to ${role}`);
    await asOwner(`grant truncate, trigger on "${schema}".users to ${role}`);
    expect((await grantsOf())[`${schema}.audit_log`]).toContain('TRUNCATE');
    const again = await runCli(['migrate', 'grant', role], ownerEnv);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('Applied:');
    expect(await grantsOf()).toEqual(before);
  });

  it('as the role: audit_log takes INSERT and SELECT, refuses UPDATE, DELETE and TRUNCATE even without its trigger', async () => {
    const insert = `insert into audit_log (seq, at, action, details, prev_hash, hash)
      values (1000, now(), 'test.raw', '{}', 'p', 'h')`;
    // In a transaction that rolls back, so the chain the later tests verify stays intact.
    expect(await asRole(`begin; ${insert}; select count(*) from audit_log; rollback`)).toBe('ok');
    expect(await asRole('update audit_log set action = $$x$$')).toBe('42501');
    expect(await asRole('delete from audit_log')).toBe('42501');
    expect(await asRole('truncate audit_log')).toBe('42501');
    expect(await asRole(`begin; insert into audit_anchors (seq, hash) values (0, 'h'); rollback`)).toBe('ok');
    expect(await asRole('update audit_anchors set hash = $$x$$')).toBe('42501');
    expect(await asRole('delete from audit_anchors')).toBe('42501');
    expect(await asRole('truncate audit_anchors')).toBe('42501');
    expect(await asRole('update incident_updates set message = $$x$$')).toBe('42501');
    expect(await asRole('delete from incident_updates')).toBe('42501');
    expect(await asRole('truncate incident_updates')).toBe('42501');

    // A copy without the trigger: the owner could now change rows, the role still cannot.
    await asOwner(`drop trigger audit_log_no_change on "${schema}".audit_log`);
    await asOwner(`drop trigger audit_log_no_truncate on "${schema}".audit_log`);
    try {
      await asOwner('begin');
      await asOwner(`${insert.replace('into audit_log', `into "${schema}".audit_log`)}`);
      const owned = await owner.query(`update "${schema}".audit_log set action = 'rewritten'`);
      expect(owned.rowCount).toBe(1); // without the trigger, nothing else stops an update
      await asOwner('rollback');
      expect(await asRole('update audit_log set action = $$x$$')).toBe('42501');
      expect(await asRole('delete from audit_log')).toBe('42501');
      expect(await asRole('truncate audit_log')).toBe('42501');
      // Owner-only privileges on ordinary tables too.
      expect(await asRole('truncate users')).toBe('42501');
      expect(await asRole('create table intruder (id int)')).toBe('42501');
      expect(await asRole('insert into kysely_migration (name, timestamp) values ($$x$$, $$y$$)')).toBe(
        '42501',
      );
    } finally {
      await asOwner(`create trigger audit_log_no_change before update or delete on "${schema}".audit_log
        for each row execute function "${schema}".audit_log_append_only()`);
      await asOwner(`create trigger audit_log_no_truncate before truncate on "${schema}".audit_log
        for each statement execute function "${schema}".audit_log_append_only()`);
    }
  });

  it('the service works as the role: runtime with job workers, a writing route, the audit append, audit verify', async () => {
    // openRuntime is what `serve` and `worker` run: migrations (none pending), pg-boss, queues, cron.
    const runtime = await openRuntime(
      testConfig({ DATABASE_URL: roleUrl, DATABASE_SCHEMA: schema }),
      pino({ level: 'silent' }),
      'worker',
      'test',
    );
    await runtime.close();

    const db: Database = await openDatabase({ databaseUrl: roleUrl, schema, poolSize: 2 });
    const t = await createTestApp('postgres', { db: { ...db, env: {} } });
    try {
      const report = await t.app.inject({
        method: 'POST',
        url: '/api/v1/disclosure/reports',
        remoteAddress: '10.9.0.7',
        payload: { title: 'Open redirect on /next', description: 'The next parameter accepts any URL.' },
      });
      expect(report.statusCode).toBe(202);
      const { id } = report.json<{ id: string }>();
      const stored = await db.kysely
        .selectFrom('vulnerability_reports')
        .select('title')
        .where('id', '=', id)
        .execute();
      expect(stored).toEqual([{ title: 'Open redirect on /next' }]);

      await appendAudit(db, {
        action: 'test.as_app_role',
        actorId: null,
        details: { role },
        actorEmail: 'someone@example.org',
        ip: '10.9.0.8',
      });
      // Erasing personal data (a DELETE on an ordinary table) is the role's to do.
      const personal = await db.kysely
        .deleteFrom('audit_personal')
        .where('ip', '=', '10.9.0.8')
        .executeTakeFirst();
      expect(Number(personal.numDeletedRows)).toBe(1);
      const verified = await verifyAuditChain(db);
      expect(verified).toMatchObject({ ok: true, count: 2 });
    } finally {
      await t.close();
      await db.close();
    }

    const cli = await runCli(['audit', 'verify'], roleEnv);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/^Audit chain intact: 2 entries, last hash [0-9a-f]{64}\.\n$/);
    expect(cli.code).toBe(0);
  });

  it('a table added later stays closed to the role until `vioscan migrate` grants it (DATABASE_APP_ROLE)', async () => {
    await asOwner(`create table "${schema}".later_table (id int)`);
    expect(await asRole('insert into later_table values (1)')).toBe('42501');
    const migrate = await runCli(['migrate'], { ...ownerEnv, DATABASE_APP_ROLE: role });
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('Already up to date.\n');
    expect(migrate.stdout).toContain(`Granted role "${role}"`);
    expect(await asRole('insert into later_table values (1)')).toBe('ok');
    expect((await grantsOf())[`${schema}.later_table`]).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
  });

  it('fails with exit 3, naming it, when PUBLIC holds a privilege the role must not have', async () => {
    await asOwner(`grant truncate on "${schema}".users to public`);
    try {
      const result = await runCli(['migrate', 'grant', role], ownerEnv);
      expect(result.stderr).toContain(`role "${role}" still differs from what the service needs`);
      expect(result.stderr).toContain(`${schema}.users: TRUNCATE held`);
      expect(result.code).toBe(3);
    } finally {
      await asOwner(`revoke truncate on "${schema}".users from public`);
    }
  });

  it('refuses, with exit 2 and nothing changed, a superuser, the owner itself, an unknown role or none', async () => {
    const before = await grantsOf();
    const cases: [string[], Record<string, string>, string][] = [
      [['migrate', 'grant', 'postgres'], ownerEnv, 'role "postgres" is a superuser'],
      [['migrate', 'grant', role], roleEnv, `role "${role}" is the role running this command`],
      [['migrate', 'grant', `${role}_missing`], ownerEnv, `role "${role}_missing" does not exist`],
      [
        ['migrate', 'grant'],
        ownerEnv,
        'name the role: vioscan migrate grant <role>, or set DATABASE_APP_ROLE',
      ],
      [['migrate', 'grant', 'Bad-Name'], ownerEnv, 'must be a lower-case SQL identifier'],
    ];
    for (const [args, env, message] of cases) {
      const result = await runCli(args, env);
      expect(result.stderr).toContain(message);
      expect(result.code).toBe(2);
    }
    expect(await grantsOf()).toEqual(before);
  });
});

describe('vioscan migrate grant on the embedded engine', () => {
  it('refuses with exit 2 and a clear message, opening nothing', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-grant-'));
    const result = await runCli(['migrate', 'grant', 'vioscan_app'], { DATA_DIR: dataDir, ...secrets });
    expect(result.stderr).toBe(
      'vioscan: migrate grant works on PostgreSQL only: the embedded engine (PGlite) has a single user, so there is no application role to restrict. Set DATABASE_URL to the PostgreSQL database (as its owner).\n',
    );
    expect(result.code).toBe(2);
    expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(false);
  });
});
