import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/kysely.ts';
import { AppError } from '../../../src/errors.ts';
import { PublicScans } from '../../../src/modules/public-scan/service.ts';
import type { Report } from '../../../src/scanner/types.ts';
import { createTestDatabase, engines, TEST_DATABASE_URL, type TestDatabase } from '../../helpers/engines.ts';

const report = (target: string) => ({ target, grade: 'B', findings: [] }) as unknown as Report;

describe.each(engines)('public scan store on %s', (engine) => {
  let db: TestDatabase;
  let other: Database;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    // PostgreSQL: a second pool stands for a second web process; PGlite has one owner.
    other =
      engine === 'postgres'
        ? await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema: db.schema, poolSize: 2 })
        : db;
  });
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
  });

  it('keeps a report in the database, readable by any process, with nothing about the visitor', async () => {
    const scans = new PublicScans(db, {
      allowPrivateTargets: true,
      scan: async (url) => ({ report: report(url) }),
    });
    const record = await scans.create('http://127.0.0.1/shared');
    const elsewhere = new PublicScans(other, { allowPrivateTargets: true });
    expect(await elsewhere.get(record.id)).toMatchObject({ report: { target: 'http://127.0.0.1/shared' } });
    const row = await db.kysely
      .selectFrom('public_scans')
      .selectAll()
      .where('id', '=', record.id)
      .executeTakeFirst();
    expect(Object.keys(row!).sort()).toEqual([
      'artefacts',
      'browser_error',
      'browser_status',
      'created_at',
      'expires_at',
      'id',
      'report',
      'screenshots',
      'target',
    ]);
    // Without the browser stage on, nothing waits beside the report.
    expect(row).toMatchObject({
      artefacts: null,
      browser_status: null,
      browser_error: null,
      screenshots: null,
    });
    expect(record.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('forgets a report once its retention has passed, and says for a day that it expired', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const scans = new PublicScans(db, {
      allowPrivateTargets: true,
      retentionMs: 60_000,
      now: () => now,
      scan: async (url) => ({ report: report(url) }),
    });
    const record = await scans.create('http://127.0.0.1/');
    expect(await scans.get(record.id)).toMatchObject({ report: { target: 'http://127.0.0.1/' } });
    now = new Date('2026-01-01T00:01:00Z');
    expect(await scans.get(record.id)).toEqual({
      expired: { target: 'http://127.0.0.1/', expiredAt: new Date('2026-01-01T00:01:00Z') },
    });
    now = new Date('2026-01-02T00:01:00Z');
    expect(await scans.get(record.id)).toBeUndefined();
    expect(await scans.get('no-such-report')).toBeUndefined();
  });

  it('gives up on a scan that does not finish in time with unavailable, and stores nothing', async () => {
    const before = await db.kysely.selectFrom('public_scans').select('id').orderBy('id').execute();
    const scans = new PublicScans(db, {
      allowPrivateTargets: true,
      timeoutMs: 10,
      scan: () => new Promise(() => {}),
    });
    const failure = await scans.create('http://127.0.0.1/').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('unavailable');
    expect(await db.kysely.selectFrom('public_scans').select('id').orderBy('id').execute()).toEqual(before);
  });

  it('refuses a target the scanner itself refused at connect time', async () => {
    const scans = new PublicScans(db, {
      allowPrivateTargets: true,
      scan: async (url) => ({
        report: { ...report(url), error: { code: 'target_not_allowed', message: 'x' } },
      }),
    });
    await expect(scans.create('http://127.0.0.1/')).rejects.toMatchObject({ code: 'target_not_allowed' });
  });
});
