import path from 'node:path';
import type { ResolvedConfig } from '../config/load.ts';
import { openDatabase, type Database } from '../db/kysely.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { copyPgliteTemplate } from './pglite-template.ts';

export function pgliteDir(config: ResolvedConfig): string {
  return path.join(config.dataDir, 'pgdata');
}

/** Opens the database the configuration names, taking DATA_DIR's single-owner lock on the embedded engine. */
export async function openConfiguredDatabase(
  config: ResolvedConfig,
  command: string,
): Promise<{ db: Database; lock?: DataDirLock }> {
  if (config.engine === 'postgres') {
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      schema: config.databaseSchema,
      poolSize: config.databasePoolSize,
    });
    return { db };
  }
  const lock = acquireDataDirLock(config.dataDir, command);
  try {
    const dir = pgliteDir(config);
    copyPgliteTemplate(dir, config.databaseSchema);
    const db = await openDatabase({ pgliteDir: dir, schema: config.databaseSchema });
    return { db, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}
