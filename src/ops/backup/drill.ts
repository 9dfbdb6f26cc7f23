import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from '../../db/kysely.ts';
import { auditDrillCheck } from '../../modules/audit/drill-check.ts';
import { requireUrl, type BackupOptions } from './create.ts';
import { BackupError } from './errors.ts';
import { compareFacts, databaseFacts, type DrillCheck, type FactCheck, type Query } from './inspect.ts';
import { listManifests, readManifest, type BackupManifest } from './manifest.ts';
import { loadPgliteTarball } from './pglite.ts';
import { createScratchDatabase, pgRestore, withClient } from './postgres.ts';
import { openBackup } from './verify.ts';

/**
 * Extra checks every drill runs on the restored copy, after migration version and row counts.
 * Audit chain verification (`vioscan audit verify`) is one of them.
 */
export const drillChecks: DrillCheck[] = [auditDrillCheck];

export interface DrillResult {
  backupId: string | null;
  startedAt: Date;
  ok: boolean;
  rtoSeconds: number;
  checks: FactCheck[];
  /** The scratch database or directory used, already removed. */
  scratch?: string;
  error?: string;
}

/** Restores the backup somewhere disposable, hands a query function to `inspect`, then removes it. */
async function withRestoredCopy<T>(
  options: BackupOptions,
  manifest: BackupManifest,
  inspect: (query: Query) => Promise<T>,
  onScratch: (where: string) => void,
): Promise<T> {
  const opened = await openBackup(options.backupDir, manifest, options.backupKey);
  try {
    if (manifest.engine === 'postgres') {
      const scratch = await createScratchDatabase(requireUrl(options));
      onScratch(scratch.name);
      try {
        await pgRestore(scratch.url, opened.file);
        return await withClient(scratch.url, inspect);
      } finally {
        await scratch.drop();
      }
    }
    const parent = await mkdtemp(path.join(tmpdir(), 'vioscan-drill-'));
    onScratch(parent);
    try {
      return (await loadPgliteTarball(opened.file, path.join(parent, 'pgdata'), inspect)).result;
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  } finally {
    await opened.dispose();
  }
}

/**
 * Restores the latest backup (or `id`) into a scratch database, checks it against its manifest,
 * measures the wall time as the recovery time, and records the result in `backup_drills`.
 */
export async function runDrill(options: BackupOptions, id?: string): Promise<DrillResult> {
  const startedAt = new Date();
  const started = performance.now();
  let manifest: BackupManifest | undefined;
  let checks: FactCheck[] = [];
  let error: string | undefined;
  let scratch: string | undefined;
  try {
    manifest = id ? await readManifest(options.backupDir, id) : (await listManifests(options.backupDir))[0];
    if (!manifest) throw new BackupError('backup_not_found', `No backup in ${options.backupDir} to drill`);
    const found = manifest;
    checks = await withRestoredCopy(
      options,
      found,
      async (query) => {
        const results = compareFacts(found, await databaseFacts(query, found.schema));
        for (const check of drillChecks)
          results.push(await check({ manifest: found, schema: found.schema, query }));
        return results;
      },
      (where) => (scratch = where),
    );
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const result: DrillResult = {
    backupId: manifest?.id ?? null,
    startedAt,
    ok: error === undefined && checks.every((c) => c.ok),
    rtoSeconds: (performance.now() - started) / 1000,
    checks,
    ...(scratch === undefined ? {} : { scratch }),
    ...(error === undefined ? {} : { error }),
  };
  await recordDrill(options.db, result);
  return result;
}

async function recordDrill(db: Database, result: DrillResult): Promise<void> {
  await db.kysely
    .insertInto('backup_drills')
    .values({
      backup_id: result.backupId,
      started_at: result.startedAt,
      ok: result.ok,
      rto_seconds: result.rtoSeconds,
      checks: JSON.stringify(result.checks),
      error: result.error ?? null,
    })
    .execute();
}
