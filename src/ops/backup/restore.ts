import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase, type Database } from '../../db/kysely.ts';
import { BackupError } from './errors.ts';
import { compareFacts, databaseFacts, occupiedTables, quoteIdent, type Query } from './inspect.ts';
import { readManifest, type BackupManifest } from './manifest.ts';
import { loadPgliteTarball, swapIntoPlace } from './pglite.ts';
import { pgRestore, withClient } from './postgres.ts';
import { openBackup } from './verify.ts';

export type RestoreTarget =
  | { engine: 'postgres'; databaseUrl: string; schema: string }
  /** The PGlite data directory; it must not be open in any process while it is replaced. */
  | { engine: 'pglite'; dir: string; schema: string };

export interface RestoreOptions {
  backupDir: string;
  backupKey: string;
  id: string;
  target: RestoreTarget;
  force?: boolean;
}

function refuseIfOccupied(manifest: BackupManifest, where: string, occupied: string[], force: boolean): void {
  if (occupied.length && !force)
    throw new BackupError(
      'restore_target_not_empty',
      `Refusing to restore backup ${manifest.id}: ${where} is not empty, it holds ${occupied.join(', ')}. ` +
        'Restore into an empty database, or pass --force to replace this data.',
    );
}

function assertCompatible(manifest: BackupManifest, target: RestoreTarget): void {
  if (manifest.engine !== target.engine)
    throw new BackupError(
      'backup_incompatible',
      `Backup ${manifest.id} was taken on ${manifest.engine}; it cannot be restored into ${target.engine}`,
    );
  if (manifest.schema !== target.schema)
    throw new BackupError(
      'backup_incompatible',
      `Backup ${manifest.id} holds schema ${manifest.schema}; set DATABASE_SCHEMA=${manifest.schema} to restore it`,
    );
}

function verifyRestored(manifest: BackupManifest, facts: Awaited<ReturnType<typeof databaseFacts>>): void {
  const failed = compareFacts(manifest, facts).filter((c) => !c.ok);
  if (failed.length)
    throw new BackupError(
      'restore_verification_failed',
      `Backup ${manifest.id} restored but does not match its manifest: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
    );
}

/** Restores a verified backup; the target is changed only after every check on the backup passed. */
export async function restoreBackup(options: RestoreOptions): Promise<BackupManifest> {
  const { target } = options;
  const manifest = await readManifest(options.backupDir, options.id);
  assertCompatible(manifest, target);
  return target.engine === 'postgres'
    ? restorePostgres(options, manifest, target)
    : restorePglite(options, manifest, target);
}

async function restorePglite(
  options: RestoreOptions,
  manifest: BackupManifest,
  target: Extract<RestoreTarget, { engine: 'pglite' }>,
): Promise<BackupManifest> {
  if (existsSync(path.join(target.dir, 'PG_VERSION'))) {
    const current: Database = await openDatabase({ pgliteDir: target.dir, schema: target.schema });
    try {
      const occupied = occupiedTables(await databaseFacts(rawQuery(current), target.schema));
      refuseIfOccupied(manifest, `the embedded database in ${target.dir}`, occupied, options.force ?? false);
    } finally {
      await current.close();
    }
  }
  const opened = await openBackup(options.backupDir, manifest, options.backupKey);
  try {
    const loaded = await loadPgliteTarball(opened.file, target.dir, (q) => databaseFacts(q, target.schema));
    try {
      verifyRestored(manifest, loaded.result);
      await swapIntoPlace(loaded.dir, target.dir);
    } catch (error) {
      await rm(loaded.dir, { recursive: true, force: true });
      throw error;
    }
  } finally {
    await opened.dispose();
  }
  return manifest;
}

function rawQuery(db: Database): Query {
  return async (text, values) => (await db.executor.executeSql(text, values)).rows;
}

async function restorePostgres(
  options: RestoreOptions,
  manifest: BackupManifest,
  target: Extract<RestoreTarget, { engine: 'postgres' }>,
): Promise<BackupManifest> {
  const { databaseUrl } = target;
  const schemas = [manifest.schema, manifest.jobSchema];
  const occupied = await withClient(databaseUrl, async (q) =>
    occupiedTables(await databaseFacts(q, target.schema)),
  );
  const database = new URL(databaseUrl).pathname.slice(1);
  refuseIfOccupied(
    manifest,
    `schema ${target.schema} of database ${database}`,
    occupied,
    options.force ?? false,
  );
  const opened = await openBackup(options.backupDir, manifest, options.backupKey);
  try {
    // pg_restore cannot rename schemas, so the current ones step aside and come back if anything fails.
    const suffix = `_old_${randomBytes(4).toString('hex')}`;
    const moved = await withClient(databaseUrl, async (q) => {
      const existing = await q(`select nspname from pg_namespace where nspname = any($1::text[])`, [schemas]);
      const names = existing.map((r) => String(r.nspname));
      await q('begin');
      for (const name of names)
        await q(`alter schema ${quoteIdent(name)} rename to ${quoteIdent(name + suffix)}`);
      await q('commit');
      return names;
    });
    try {
      await pgRestore(databaseUrl, opened.file);
      verifyRestored(manifest, await withClient(databaseUrl, (q) => databaseFacts(q, manifest.schema)));
    } catch (error) {
      await withClient(databaseUrl, async (q) => {
        await q('begin');
        for (const name of schemas) await q(`drop schema if exists ${quoteIdent(name)} cascade`);
        for (const name of moved)
          await q(`alter schema ${quoteIdent(name + suffix)} rename to ${quoteIdent(name)}`);
        await q('commit');
      });
      throw error;
    }
    await withClient(databaseUrl, async (q) => {
      for (const name of moved) await q(`drop schema ${quoteIdent(name + suffix)} cascade`);
    });
  } finally {
    await opened.dispose();
  }
  return manifest;
}
