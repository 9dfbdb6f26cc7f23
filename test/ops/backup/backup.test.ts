import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Engine } from '../../../src/db/kysely.ts';
import {
  backupHealth,
  createBackup,
  listManifests,
  reportBackupHealth,
  restoreBackup,
  runDrill,
  type BackupOptions,
  type RestoreTarget,
} from '../../../src/ops/backup/index.ts';
import { createScratchDatabase } from '../../../src/ops/backup/postgres.ts';
import { createTestDatabase, engines, TEST_DATABASE_URL, type TestDatabase } from '../../helpers/engines.ts';

const KEY = 'a1'.repeat(32);
const OTHER_KEY = 'b2'.repeat(32);
const SLOW = 240_000;
/** Long enough that random ciphertext never contains it by chance. */
const MARKER = 'plaintext-marker-7f3a9c1e5b2d4086';

interface Target {
  target: RestoreTarget;
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

/** An empty place to restore into: a scratch database on PostgreSQL, a fresh directory on PGlite. */
async function emptyTarget(engine: Engine, schema: string, scratchDir: string): Promise<Target> {
  if (engine === 'postgres') {
    const scratch = await createScratchDatabase(TEST_DATABASE_URL);
    return {
      target: { engine, databaseUrl: scratch.url, schema },
      open: () => openDatabase({ databaseUrl: scratch.url, schema, poolSize: 2 }),
      dispose: () => scratch.drop(),
    };
  }
  const dir = path.join(scratchDir, 'restored', 'pgdata');
  return {
    target: { engine, dir, schema },
    open: () => openDatabase({ pgliteDir: dir, schema }),
    dispose: async () => {},
  };
}

/** The source database itself as a restore target: it holds data. */
function sourceTarget(db: TestDatabase): RestoreTarget {
  return db.engine === 'postgres'
    ? { engine: 'postgres', databaseUrl: TEST_DATABASE_URL, schema: db.schema }
    : { engine: 'pglite', dir: '(in memory)', schema: db.schema };
}

async function rateLimits(db: Database) {
  return db.kysely.selectFrom('rate_limits').select(['key', 'hits']).orderBy('key').execute();
}

describe.each(engines)('backups on %s', (engine) => {
  let db: TestDatabase;
  let dir: string;
  let options: BackupOptions;
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    db = await createTestDatabase(engine);
    dir = await mkdtemp(path.join(tmpdir(), 'vioscan-backup-test-'));
    options = {
      db,
      databaseUrl: engine === 'postgres' ? TEST_DATABASE_URL : undefined,
      backupDir: path.join(dir, 'backups'),
      backupKey: KEY,
    };
    await db.kysely
      .insertInto('rate_limits')
      .values(
        Array.from({ length: 25 }, (_, i) => ({
          key: `k${i}`,
          hits: i,
          reset_at: new Date(Date.UTC(2030, 0, 1)),
        })),
      )
      .execute();
  }, SLOW);

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it(
    'create → list → restore into an empty database gives the same data',
    async () => {
      const manifest = await createBackup(options);
      expect(manifest.engine).toBe(engine);
      expect(manifest.rowCounts.rate_limits).toBe(25);
      expect(manifest.migration).toMatch(/^\d{4}_/);
      expect(manifest.encryption.keyId).toMatch(/^[0-9a-f]{16}$/);
      await db.kysely
        .insertInto('rate_limits')
        .values({ key: MARKER, hits: 1, reset_at: new Date(Date.UTC(2030, 0, 1)) })
        .execute();
      const withMarker = await createBackup(options);
      const stored = await readFile(path.join(options.backupDir, withMarker.file));
      expect(stored.includes(Buffer.from(MARKER))).toBe(false);
      expect(JSON.stringify(manifest)).not.toContain(KEY);

      const listed = await listManifests(options.backupDir);
      expect(listed.map((m) => m.id).sort()).toEqual([manifest.id, withMarker.id].sort());
      const recorded = await db.kysely.selectFrom('backups').select(['id', 'engine']).orderBy('id').execute();
      expect(recorded).toEqual([manifest.id, withMarker.id].sort().map((id) => ({ id, engine })));

      const empty = await emptyTarget(engine, db.schema, dir);
      cleanups.push(empty.dispose);
      await restoreBackup({
        backupDir: options.backupDir,
        backupKey: KEY,
        id: withMarker.id,
        target: empty.target,
      });
      const restored = await empty.open();
      try {
        expect(await rateLimits(restored)).toEqual(await rateLimits(db));
      } finally {
        await restored.close();
      }
    },
    SLOW,
  );

  it(
    'refuses to restore over a database that holds data, naming what is there',
    async () => {
      const manifest = await createBackup(options);
      const before = await rateLimits(db);
      const target = engine === 'postgres' ? sourceTarget(db) : await restoreOnceIntoDirectory(manifest.id);
      const attempt = restoreBackup({
        backupDir: options.backupDir,
        backupKey: KEY,
        id: manifest.id,
        target,
      });
      await expect(attempt).rejects.toMatchObject({ code: 'restore_target_not_empty' });
      await expect(attempt).rejects.toThrow(/is not empty, it holds .*rate_limits \(25 rows\).*--force/);
      expect(await rateLimits(db)).toEqual(before);
    },
    SLOW,
  );

  /** On PGlite the in-memory source cannot be a target, so a directory is filled by a first restore. */
  async function restoreOnceIntoDirectory(id: string): Promise<RestoreTarget> {
    const full = await emptyTarget(engine, db.schema, dir);
    await restoreBackup({ backupDir: options.backupDir, backupKey: KEY, id, target: full.target });
    return full.target;
  }

  async function filledTarget(id: string): Promise<{ target: RestoreTarget; rows: () => Promise<unknown> }> {
    if (engine === 'postgres') return { target: sourceTarget(db), rows: () => rateLimits(db) };
    const target = await restoreOnceIntoDirectory(id);
    const dirTarget = target as Extract<RestoreTarget, { engine: 'pglite' }>;
    return {
      target,
      rows: async () => {
        const opened = await openDatabase({ pgliteDir: dirTarget.dir, schema: db.schema });
        try {
          return await rateLimits(opened);
        } finally {
          await opened.close();
        }
      },
    };
  }

  it(
    'a corrupted backup fails with a clear error and overwrites nothing, even with --force',
    async () => {
      const manifest = await createBackup(options);
      const { target, rows } = await filledTarget(manifest.id);
      const before = await rows();
      const file = path.join(options.backupDir, manifest.file);
      const bytes = await readFile(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await writeFile(file, bytes);

      const attempt = restoreBackup({
        backupDir: options.backupDir,
        backupKey: KEY,
        id: manifest.id,
        target,
        force: true,
      });
      await expect(attempt).rejects.toMatchObject({ code: 'backup_corrupt' });
      await expect(attempt).rejects.toThrow(
        `Backup ${manifest.id} is corrupted: the SHA-256 of ${manifest.file}`,
      );
      expect(await rows()).toEqual(before);
    },
    SLOW,
  );

  it(
    'a backup made with another key fails with a clear error and overwrites nothing, even with --force',
    async () => {
      const manifest = await createBackup(options);
      const { target, rows } = await filledTarget(manifest.id);
      const before = await rows();

      const attempt = restoreBackup({
        backupDir: options.backupDir,
        backupKey: OTHER_KEY,
        id: manifest.id,
        target,
        force: true,
      });
      await expect(attempt).rejects.toMatchObject({ code: 'backup_wrong_key' });
      await expect(attempt).rejects.toThrow(
        /was encrypted with key [0-9a-f]{16}, but the configured BACKUP_KEY is key/,
      );
      await expect(attempt).rejects.not.toThrow(OTHER_KEY);
      expect(await rows()).toEqual(before);
    },
    SLOW,
  );

  it(
    'a drill restores the latest backup into a scratch copy, checks it and stores an ok result with the RTO',
    async () => {
      await createBackup(options);
      const latest = await createBackup(options, new Date(Date.now() + 1000));
      const result = await runDrill(options);
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ backupId: latest.id, ok: true });
      expect(result.rtoSeconds).toBeGreaterThan(0);
      expect(result.checks.map((c) => [c.name, c.ok])).toEqual([
        ['migration', true],
        ['row-counts', true],
        ['audit-chain', true],
      ]);
      const stored = await db.kysely.selectFrom('backup_drills').selectAll().execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ backup_id: latest.id, ok: true, error: null });
      expect(stored[0]!.rto_seconds).toBeCloseTo(result.rtoSeconds, 6);

      const health = await backupHealth(db, { backupRpoHours: 6 });
      expect(health.lastBackupAt?.toISOString()).toBe(latest.createdAt);
      expect(health.rpoTargetSeconds).toBe(21_600);
      expect(health.lastDrill).toMatchObject({ ok: true });
      expect(result.scratch).toBeTruthy();
      if (engine === 'postgres') {
        const left = await db.executor.executeSql(
          'select count(*)::int as n from pg_database where datname = $1',
          [result.scratch],
        );
        expect(left.rows[0]!.n).toBe(0);
      } else {
        await expect(stat(result.scratch!)).rejects.toMatchObject({ code: 'ENOENT' });
      }
    },
    SLOW,
  );

  it(
    'a drill of a corrupted backup is stored as failed and raises the ops alert',
    async () => {
      const manifest = await createBackup(options);
      const file = path.join(options.backupDir, manifest.file);
      const bytes = await readFile(file);
      bytes[bytes.length - 1]! ^= 0xff;
      await writeFile(file, bytes);

      const result = await runDrill(options);
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/is corrupted/);
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
      const { alerts } = await reportBackupHealth(db, { backupRpoHours: 6 }, logger);
      expect(alerts).toEqual([expect.stringMatching(/last restore drill failed/)]);
      const logged = lines.map((l) => JSON.parse(l) as { level: number; scope: string; msg: string });
      expect(logged).toEqual([expect.objectContaining({ level: 50, scope: 'ops' })]);
      expect(logged[0]!.msg).toMatch(/backup alert: the last restore drill failed/);
    },
    SLOW,
  );
});
