import { mkdir, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { encryptToFile, keyId } from './crypto.ts';
import {
  additionalData,
  dataFile,
  listManifests,
  newBackupId,
  writeManifest,
  type BackupManifest,
} from './manifest.ts';
import { dumpPglite } from './pglite.ts';
import { dumpPostgres, toolVersion } from './postgres.ts';
import { DEFAULT_RETENTION, retain, type RetentionPolicy } from './retention.ts';

export interface BackupOptions {
  db: Database;
  /** Needed on PostgreSQL, where pg_dump and pg_restore run as separate programs. */
  databaseUrl?: string | undefined;
  backupDir: string;
  backupKey: string;
}

export function backupOptions(db: Database, config: ResolvedConfig): BackupOptions {
  return { db, databaseUrl: config.databaseUrl, backupDir: config.backupDir, backupKey: config.backupKey };
}

export function requireUrl(options: Pick<BackupOptions, 'databaseUrl'>): string {
  if (!options.databaseUrl) throw new Error('PostgreSQL backups need DATABASE_URL');
  return options.databaseUrl;
}

/** Dumps, encrypts and checksums the database into BACKUP_DIR, then records the manifest in `backups`. */
export async function createBackup(options: BackupOptions, now = new Date()): Promise<BackupManifest> {
  const { db, backupDir, backupKey } = options;
  const started = performance.now();
  await mkdir(backupDir, { recursive: true, mode: 0o700 });
  const id = newBackupId(now);
  const format = db.engine === 'postgres' ? 'pg_dump-custom' : 'pglite-datadir-tgz';
  const aad = additionalData({ id, engine: db.engine, format });
  const file = dataFile(backupDir, id);
  let sealed;
  let facts;
  let tool: string;
  try {
    if (db.engine === 'postgres') {
      tool = await toolVersion('pg_dump');
      const dump = await dumpPostgres(requireUrl(options), [db.schema, db.jobSchema]);
      try {
        facts = dump.facts;
        [sealed] = await Promise.all([encryptToFile(dump.stream, file, backupKey, aad), dump.done]);
      } finally {
        await dump.release();
      }
    } else {
      tool = `PGlite dumpDataDir`;
      const dump = await dumpPglite(db);
      facts = dump.facts;
      sealed = await encryptToFile(dump.stream, file, backupKey, aad);
    }
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  const manifest: BackupManifest = {
    formatVersion: 1,
    id,
    createdAt: now.toISOString(),
    engine: db.engine,
    format,
    schema: db.schema,
    jobSchema: db.jobSchema,
    migration: facts.migration,
    rowCounts: facts.rowCounts,
    tool,
    durationMs: Math.round(performance.now() - started),
    file: `${id}.vbk`,
    plaintext: sealed.plaintext,
    ciphertext: sealed.ciphertext,
    encryption: { algorithm: 'aes-256-gcm', iv: sealed.iv, authTag: sealed.authTag, keyId: keyId(backupKey) },
  };
  await writeManifest(backupDir, manifest);
  await db.kysely
    .insertInto('backups')
    .values({
      id,
      created_at: manifest.createdAt,
      engine: db.engine,
      size_bytes: manifest.ciphertext.bytes,
      migration: manifest.migration,
      manifest: JSON.stringify(manifest),
    })
    .execute();
  return manifest;
}

/** Deletes the backups the retention policy no longer keeps; returns their ids. */
export async function pruneBackups(
  options: Pick<BackupOptions, 'db' | 'backupDir'>,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<string[]> {
  const manifests = await listManifests(options.backupDir);
  const keep = retain(
    manifests.map((m) => ({ id: m.id, createdAt: new Date(m.createdAt) })),
    policy,
  );
  const removed: string[] = [];
  for (const m of manifests) {
    if (keep.has(m.id)) continue;
    // Manifest first: a half-deleted backup then no longer counts as one.
    await rm(`${options.backupDir}/${m.id}.json`, { force: true });
    await rm(dataFile(options.backupDir, m.id), { force: true });
    removed.push(m.id);
  }
  if (removed.length)
    await options.db.kysely
      .updateTable('backups')
      .set({ removed_at: new Date() })
      .where('id', 'in', removed)
      .execute();
  return removed;
}
