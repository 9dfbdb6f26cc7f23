import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../../db/kysely.ts';
import { BackupError } from './errors.ts';

export const MANIFEST_VERSION = 1;

export interface BackupManifest {
  formatVersion: typeof MANIFEST_VERSION;
  id: string;
  createdAt: string;
  engine: Engine;
  /** pg_dump custom format, or PGlite's gzipped data-directory tarball. */
  format: 'pg_dump-custom' | 'pglite-datadir-tgz';
  schema: string;
  jobSchema: string;
  /** Name of the newest applied migration when the dump was taken. */
  migration: string | null;
  rowCounts: Record<string, number>;
  tool: string;
  durationMs: number;
  file: string;
  plaintext: { bytes: number; sha256: string };
  ciphertext: { bytes: number; sha256: string };
  encryption: { algorithm: 'aes-256-gcm'; iv: string; authTag: string; keyId: string };
}

const ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

/** Sortable by time, unique by its random suffix: 20250101T000000000Z-1a2b3c4d. */
export function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/** Ids reach file paths, so anything but our own shape is refused (no path traversal). */
export function assertBackupId(id: string): void {
  if (!ID.test(id))
    throw new BackupError('backup_not_found', `No backup ${JSON.stringify(id)}: not a backup id`);
}

/** Authenticated data bound into the cipher: a file renamed to another id or engine fails to decrypt. */
export function additionalData(manifest: Pick<BackupManifest, 'id' | 'engine' | 'format'>): string {
  return `vioscan-backup/v${MANIFEST_VERSION}/${manifest.id}/${manifest.engine}/${manifest.format}`;
}

export function dataFile(backupDir: string, id: string): string {
  return path.join(backupDir, `${id}.vbk`);
}

function manifestFile(backupDir: string, id: string): string {
  return path.join(backupDir, `${id}.json`);
}

/** Written last and atomically: a backup exists once its manifest does. */
export async function writeManifest(backupDir: string, manifest: BackupManifest): Promise<void> {
  const file = manifestFile(backupDir, manifest.id);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(tmp, file);
}

export async function readManifest(backupDir: string, id: string): Promise<BackupManifest> {
  assertBackupId(id);
  let text: string;
  try {
    text = await readFile(manifestFile(backupDir, id), 'utf8');
  } catch {
    throw new BackupError('backup_not_found', `No backup ${id} in ${backupDir}`);
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError('backup_corrupt', `Backup ${id}: its manifest is not valid JSON`);
  }
  if (manifest.formatVersion !== MANIFEST_VERSION || manifest.id !== id)
    throw new BackupError('backup_corrupt', `Backup ${id}: unexpected manifest (version or id mismatch)`);
  return manifest;
}

/** Every complete backup in backupDir, newest first. */
export async function listManifests(backupDir: string): Promise<BackupManifest[]> {
  let names: string[];
  try {
    names = await readdir(backupDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const ids = names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -5))
    .filter((id) => ID.test(id));
  const manifests: BackupManifest[] = [];
  for (const id of ids) {
    try {
      manifests.push(await readManifest(backupDir, id));
    } catch {
      // an unreadable manifest is not a backup; restore names the problem when asked for it
    }
  }
  return manifests.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
