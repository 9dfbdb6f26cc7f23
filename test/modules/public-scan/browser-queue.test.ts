import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/kysely.ts';
import { AppError } from '../../../src/errors.ts';
import { housekeeping } from '../../../src/jobs/housekeeping.ts';
import { claimNext, finishBrowserScan } from '../../../src/modules/public-scan/browser-queue.ts';
import { runNextPublicBrowserScan } from '../../../src/modules/public-scan/browser-stage.ts';
import {
  PUBLIC_BROWSER_SCAN_LIMIT,
  PublicScans,
  type PublicScanOptions,
} from '../../../src/modules/public-scan/service.ts';
import type { Artefacts, Report } from '../../../src/scanner/types.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createTestDatabase, engines, TEST_DATABASE_URL, type TestDatabase } from '../../helpers/engines.ts';

const report = (target: string) =>
  ({ target, grade: 'B', findings: [], startedAt: '2026-01-01T00:00:00.000Z' }) as unknown as Report;
const artefacts = (target: string) => ({ target, timings: { total: 1 } }) as unknown as Artefacts;
const logger = pino({ level: 'silent' });

describe.each(engines)('anonymous browser scans on %s', (engine) => {
  let db: TestDatabase;
  let other: Database;
  let queued: string[];
  let scanned: number;

  const scans = (options: Partial<PublicScanOptions> = {}) =>
    new PublicScans(db, {
      allowPrivateTargets: true,
      enqueueBrowser: async (id) => {
        queued.push(id);
      },
      scan: async (url) => {
        scanned += 1;
        return { report: report(url), artefacts: artefacts(url) };
      },
      ...options,
    });

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    // PostgreSQL: a second pool stands for a second process claiming at the same time.
    other =
      engine === 'postgres'
        ? await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema: db.schema, poolSize: 4 })
        : db;
  });
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
  });
  beforeEach(async () => {
    queued = [];
    scanned = 0;
    await db.kysely.deleteFrom('public_browser_leases').execute();
    await db.kysely.deleteFrom('public_scans').execute();
    await db.kysely.deleteFrom('rate_limits').execute();
  });

  it('queues the browser stage first come, first served: the third scan waits with its position while two run', async () => {
    const service = scans();
    const [a, b, c] = [
      await service.create('http://127.0.0.1/a', '192.0.2.1'),
      await service.create('http://127.0.0.1/b', '192.0.2.2'),
      await service.create('http://127.0.0.1/c', '192.0.2.3'),
    ];
    expect([a, b, c].map((s) => s.browser)).toEqual([
      { status: 'queued', position: 1 },
      { status: 'queued', position: 2 },
      { status: 'queued', position: 3 },
    ]);
    expect(queued).toEqual([a!.id, b!.id, c!.id]);
    // The passive report is there at once, and the artefacts wait beside it; nothing about the visitor.
    const row = await db.kysely
      .selectFrom('public_scans')
      .selectAll()
      .where('id', '=', c!.id)
      .executeTakeFirst();
    expect(row?.artefacts).toEqual(artefacts('http://127.0.0.1/c'));
    expect(JSON.stringify(row)).not.toContain('192.0.2.3');

    const first = await claimNext(db, { cap: 2, ttlSeconds: 60 });
    const second = await claimNext(other, { cap: 2, ttlSeconds: 60 });
    expect([first, second].map((x) => (typeof x === 'string' ? x : x.id))).toEqual([a!.id, b!.id]);
    expect(await claimNext(db, { cap: 2, ttlSeconds: 60 })).toBe('busy');

    const elsewhere = new PublicScans(other, { allowPrivateTargets: true });
    expect(await elsewhere.get(a!.id)).toMatchObject({ browser: { status: 'running' } });
    expect(await elsewhere.get(c!.id)).toMatchObject({
      report: { target: 'http://127.0.0.1/c' },
      browser: { status: 'queued', position: 1 },
    });
    expect(await db.kysely.selectFrom('public_browser_leases').select('slot').execute()).toHaveLength(2);
  });

  it('never runs more than the cap, however many claim at once', async () => {
    const service = scans();
    for (const [i, path] of ['a', 'b', 'c', 'd'].entries())
      await service.create(`http://127.0.0.1/${path}`, `192.0.2.${10 + i}`);
    const claims = await Promise.all(
      [db, other, other, db].map((d) => claimNext(d, { cap: 2, ttlSeconds: 60 })),
    );
    const taken = claims.filter((c) => typeof c !== 'string');
    expect(taken).toHaveLength(2);
    expect(claims.filter((c) => c === 'busy')).toHaveLength(2);
    const running = await db.kysely
      .selectFrom('public_scans')
      .select('id')
      .where('browser_status', '=', 'running')
      .execute();
    expect(running).toHaveLength(2);
  });

  // Two sessions at once: PGlite has one, so the test exists on PostgreSQL only (not a skipped test).
  if (engine === 'postgres') {
    it('a claim that loses its slot number to a concurrent claim takes the next free slot, not "busy"', async () => {
      const service = scans();
      const a = await service.create('http://127.0.0.1/a', '192.0.2.20');
      const b = await service.create('http://127.0.0.1/b', '192.0.2.21');
      // A rival claim of `a`, not committed yet: it holds slot 1 and the scan's row.
      const rival = await other.kysely.startTransaction().execute();
      try {
        const { rows } = await sql<{ pid: number }>`
          select pg_backend_pid() as pid from public_scans where id = ${a.id} for update`.execute(rival);
        const rivalPid = rows[0]!.pid;
        await rival
          .insertInto('public_browser_leases')
          .values({ slot: 1, scan_id: a.id, expires_at: sql<Date>`now() + interval '1 minute'` })
          .execute();
        const claim = claimNext(db, { cap: 2, ttlSeconds: 60 });
        // The claim skips `a`, picks `b` and waits on the rival's slot 1.
        const blocked = async () =>
          (
            await sql<{ n: number }>`
              select count(*)::int as n from pg_stat_activity
              where ${rivalPid}::int = any(pg_blocking_pids(pid))`.execute(db.kysely)
          ).rows[0]!.n;
        await waitFor(async () => ((await blocked()) === 1 ? true : undefined), 10_000, 10);
        await rival.commit().execute();
        expect(await claim).toMatchObject({ id: b.id });
      } catch (error) {
        await rival
          .rollback()
          .execute()
          .catch(() => undefined);
        throw error;
      }
      const slots = await db.kysely
        .selectFrom('public_browser_leases')
        .select(['slot', 'scan_id'])
        .orderBy('slot')
        .execute();
      expect(slots).toEqual([
        { slot: 1, scan_id: a.id },
        { slot: 2, scan_id: b.id },
      ]);
    });
  }

  it('refuses a fourth browser scan an hour from one address with 429, before fetching or storing anything', async () => {
    const service = scans();
    for (let i = 0; i < PUBLIC_BROWSER_SCAN_LIMIT.max; i++)
      await service.create(`http://127.0.0.1/${i}`, '198.51.100.7');
    const before = await db.kysely.selectFrom('public_scans').select('id').orderBy('id').execute();
    const refused = await service.create('http://127.0.0.1/more', '198.51.100.7').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: 'rate_limited',
      status: 429,
      details: { limit: PUBLIC_BROWSER_SCAN_LIMIT.max },
    });
    expect((refused as AppError).message).toBe(
      'At most 3 scans with the browser visits per hour from one address; retry later.',
    );
    expect(scanned).toBe(PUBLIC_BROWSER_SCAN_LIMIT.max);
    expect(await db.kysely.selectFrom('public_scans').select('id').orderBy('id').execute()).toEqual(before);
    // Another address is not affected, and without the browser stage the limit does not apply.
    await expect(service.create('http://127.0.0.1/x', '198.51.100.8')).resolves.toMatchObject({
      browser: { status: 'queued' },
    });
    const passive = scans({ enqueueBrowser: undefined });
    await expect(passive.create('http://127.0.0.1/p', '198.51.100.7')).resolves.toMatchObject({
      browser: { status: 'off' },
    });
  });

  it('keeps the passive report when the browser cannot start, and says why the privacy part is missing', async () => {
    const created = await scans().create('http://127.0.0.1/broken', '192.0.2.4');
    const config = testConfig({ CHROMIUM_PATH: '/nonexistent/chromium', SCAN_TIMEOUT_S: '30' });
    expect(await runNextPublicBrowserScan({ db, config, logger })).toBe('ran');
    const after = await scans().get(created.id);
    expect(after).toMatchObject({
      report: report('http://127.0.0.1/broken'),
      browser: { status: 'failed', error: { code: 'browser_unavailable' } },
    });
    expect((after as { browser: { error: { message: string } } }).browser.error.message).toMatch(
      /^Chromium could not start/,
    );
    const row = await db.kysely
      .selectFrom('public_scans')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirst();
    expect(row?.artefacts).toBeNull();
    expect(await db.kysely.selectFrom('public_browser_leases').selectAll().execute()).toEqual([]);
    expect(await runNextPublicBrowserScan({ db, config, logger })).toBe('empty');
  });

  it('keeps each visit’s screenshot with the finished report until housekeeping clears the expired one', async () => {
    const created = await scans().create('http://127.0.0.1/shot', '192.0.2.8');
    expect(created.screenshots).toEqual([]);
    const claimed = await claimNext(db, { cap: 2, ttlSeconds: 60 });
    expect(claimed).toMatchObject({ id: created.id });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await finishBrowserScan(db, created.id, report('http://127.0.0.1/shot'), {
      gpc: jpeg.toString('base64'),
      none: jpeg.toString('base64'),
    });
    expect(await scans().get(created.id)).toMatchObject({
      browser: { status: 'done' },
      screenshots: ['none', 'gpc'],
    });
    expect(await scans().screenshot(created.id, 'none')).toEqual(jpeg);
    expect(await scans().screenshot(created.id, 'reject')).toBeUndefined();

    // An hour later the report is unreadable at once, and housekeeping erases the pictures.
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await scans({ now: () => later }).screenshot(created.id, 'none')).toBeUndefined();
    // Expiry is immutable to the application; a test moves it back by hand.
    await sql`update public_scans set expires_at = ${new Date(Date.now() - 1000)} where id = ${created.id}`.execute(
      db.kysely,
    );
    await housekeeping.handle({ db, config: testConfig(), logger }, {});
    const row = await db.kysely
      .selectFrom('public_scans')
      .select(['report', 'screenshots'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ report: null, screenshots: null });
  });

  it('reports a stage whose worker died once its slot has expired, and skips a page that could not be fetched', async () => {
    const service = scans();
    const created = await service.create('http://127.0.0.1/dead', '192.0.2.5');
    expect(await claimNext(db, { cap: 1, ttlSeconds: 60 })).toMatchObject({ id: created.id });
    await sql`update public_browser_leases set expires_at = now() - interval '1 second'`.execute(db.kysely);
    expect(await claimNext(db, { cap: 1, ttlSeconds: 60 })).toBe('empty');
    expect(await service.get(created.id)).toMatchObject({
      report: { target: 'http://127.0.0.1/dead' },
      browser: { status: 'failed', error: { code: 'browser_timeout' } },
    });

    const unreachable = await scans({
      scan: async (url) => ({
        report: { ...report(url), error: { code: 'connection_failed', message: 'refused' } },
        artefacts: artefacts(url),
      }),
    }).create('http://127.0.0.1/down', '192.0.2.5');
    expect(unreachable.browser).toMatchObject({ status: 'failed', error: { code: 'browser_skipped' } });
    expect(queued).toEqual([created.id]);
  });

  it('says the privacy part is missing when the job cannot be queued', async () => {
    const created = await scans({
      enqueueBrowser: async () => {
        throw new Error('queue down');
      },
    }).create('http://127.0.0.1/q', '192.0.2.6');
    expect(created.browser).toEqual({
      status: 'failed',
      error: { code: 'browser_unavailable', message: 'The browser visits could not be queued.' },
    });
    expect(await scans().get(created.id)).toMatchObject({ browser: { status: 'failed' } });
  });

  it('expires a waiting scan like any public report: housekeeping clears it, its stage never runs, a day later it is gone', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    const expired = await scans({ now: () => twoHoursAgo }).create('http://127.0.0.1/old', '192.0.2.7');
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    const gone = await scans({ now: () => threeDaysAgo }).create('http://127.0.0.1/older', '192.0.2.7');
    const live = await scans().create('http://127.0.0.1/live', '192.0.2.7');
    expect(live.browser).toEqual({ status: 'queued', position: 1 });

    await housekeeping.handle({ db, config: testConfig(), logger }, {});
    const rows = await db.kysely
      .selectFrom('public_scans')
      .select(['id', 'report', 'artefacts', 'browser_status'])
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => r.id)).toEqual([expired.id, live.id]);
    expect(rows[0]).toMatchObject({ report: null, artefacts: null });
    expect(rows[1]?.artefacts).not.toBeNull();
    expect(await scans().get(expired.id)).toMatchObject({ expired: { target: 'http://127.0.0.1/old' } });
    expect(await scans().get(gone.id)).toBeUndefined();
    // The expired one is not taken: the live one is next.
    expect(await claimNext(db, { cap: 2, ttlSeconds: 60 })).toMatchObject({ id: live.id });
    expect(await claimNext(db, { cap: 2, ttlSeconds: 60 })).toBe('empty');
  });
});
