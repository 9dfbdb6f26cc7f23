import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { databaseFacts, type DatabaseFacts, type Query } from './inspect.ts';

export function pgliteQuery(pg: PGlite): Query {
  return async (text, values) => (await pg.query<Record<string, unknown>>(text, values)).rows;
}

/**
 * Counts and dumps while holding the database's only session (a Kysely connection takes the
 * shared mutex), so no transaction is half-way through and the counts match the tarball.
 */
export async function dumpPglite(db: Database): Promise<{ facts: DatabaseFacts; stream: Readable }> {
  const pglite = db.pglite;
  if (!pglite) throw new Error('dumpPglite needs the embedded engine');
  return db.kysely.connection().execute(async (conn) => {
    const query: Query = async (text, values) =>
      (await conn.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, values ?? []))).rows;
    await query('checkpoint');
    const facts = await databaseFacts(query, db.schema);
    const blob = await pglite.dumpDataDir('gzip');
    return { facts, stream: Readable.fromWeb(blob.stream() as WebReadableStream<Uint8Array>) };
  });
}

/**
 * Loads a data-directory tarball into a new directory beside the target; the caller swaps it in
 * only once it has checked the result, so a failed restore leaves the target as it was.
 */
export async function loadPgliteTarball<T>(
  tarball: string,
  targetDir: string,
  inspect: (query: Query) => Promise<T>,
): Promise<{ dir: string; result: T }> {
  const dir = `${path.resolve(targetDir)}.restore-${randomBytes(4).toString('hex')}`;
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  try {
    const pg = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([await readFile(tarball)]) });
    try {
      return { dir, result: await inspect(pgliteQuery(pg)) };
    } finally {
      await pg.close();
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Puts a loaded directory in place of the target, moving the old one aside until the rename is done. */
export async function swapIntoPlace(loadedDir: string, targetDir: string): Promise<void> {
  const target = path.resolve(targetDir);
  const aside = `${target}.pre-restore-${randomBytes(4).toString('hex')}`;
  const hadTarget = existsSync(target);
  if (hadTarget) await rename(target, aside);
  try {
    await rename(loadedDir, target);
  } catch (error) {
    if (hadTarget) await rename(aside, target);
    throw error;
  }
  if (hadTarget) await rm(aside, { recursive: true, force: true });
}
