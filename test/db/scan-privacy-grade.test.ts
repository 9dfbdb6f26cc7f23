import { randomUUID } from 'node:crypto';
import type { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrator as migratorOf } from '../../src/db/migrate.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';

/** Migration 0140: scans stored before it get their privacy grade from their report. */
describe.each(engines)('the scans’ privacy grade backfill on %s', (engine) => {
  let db: TestDatabase;
  let migrator: Migrator;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    migrator = migratorOf(db);
  }, 120_000);
  afterAll(async () => db?.close());

  it('reads the privacy category of browser scans and leaves the others null', async () => {
    const down = await migrator.migrateTo('0130_browser_scans');
    expect(down.error).toBeUndefined();
    expect(down.results?.at(-1)).toMatchObject({
      migrationName: '0140_scan_privacy_grade',
      status: 'Success',
    });

    const orgId = randomUUID();
    const siteId = randomUUID();
    await db.kysely.insertInto('orgs').values({ id: orgId, name: 'Backfill' }).execute();
    await db.kysely
      .insertInto('sites')
      .values({
        id: siteId,
        org_id: orgId,
        url: 'https://a.test/',
        host: 'a.test',
        name: 'a',
        verification_token: 't',
      })
      .execute();
    const report = (categories: object[]) => JSON.stringify({ grade: 'B', categories });
    const scans = {
      browser: {
        browser: true,
        report: report([
          { category: 'headers', score: 80, grade: 'B+' },
          { category: 'privacy', score: 42.6, grade: 'D+' },
        ]),
      },
      passive: { browser: false, report: report([{ category: 'headers', score: 80, grade: 'B+' }]) },
      failed: { browser: true, report: null },
    };
    const ids: Record<string, string> = {};
    for (const [name, scan] of Object.entries(scans)) {
      ids[name] = randomUUID();
      await db.kysely
        .insertInto('scans')
        .values({
          id: ids[name]!,
          org_id: orgId,
          site_id: siteId,
          target: 'https://a.test/',
          host: 'a.test',
          source: 'api',
          requested_by: null,
          status: scan.report ? 'succeeded' : 'failed',
          ...scan,
        } as never)
        .execute();
    }

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const rows = await db.kysely
      .selectFrom('scans')
      .select(['id', 'privacy_grade', 'privacy_score', 'report'])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.browser!)).toMatchObject({ privacy_grade: 'D+', privacy_score: 43 });
    expect(byId.get(ids.passive!)).toMatchObject({ privacy_grade: null, privacy_score: null });
    expect(byId.get(ids.failed!)).toMatchObject({ privacy_grade: null, privacy_score: null, report: null });
    // The reports themselves are untouched.
    expect(byId.get(ids.browser!)!.report).toBe(scans.browser.report);
  });
});
