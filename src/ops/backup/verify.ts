import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { decryptToFile, keyId, sha256File } from './crypto.ts';
import { BackupError } from './errors.ts';
import { additionalData, dataFile, type BackupManifest } from './manifest.ts';

export interface OpenedBackup {
  /** The decrypted, verified dump in a private scratch file. */
  file: string;
  dispose(): Promise<void>;
}

/**
 * Checks a backup end to end before anything is restored: the key it was made with, the
 * ciphertext checksum, the GCM tag and the plaintext checksum. Each failure says which.
 */
export async function openBackup(
  backupDir: string,
  manifest: BackupManifest,
  hexKey: string,
): Promise<OpenedBackup> {
  const expectedKey = keyId(hexKey);
  if (manifest.encryption.keyId !== expectedKey)
    throw new BackupError(
      'backup_wrong_key',
      `Backup ${manifest.id} was encrypted with key ${manifest.encryption.keyId}, but the configured BACKUP_KEY is key ${expectedKey}. ` +
        'Set BACKUP_KEY to the key that made this backup.',
    );
  const file = dataFile(backupDir, manifest.id);
  let digest: string;
  try {
    digest = await sha256File(file);
  } catch {
    throw new BackupError('backup_not_found', `Backup ${manifest.id}: its data file ${file} is missing`);
  }
  if (digest !== manifest.ciphertext.sha256)
    throw new BackupError(
      'backup_corrupt',
      `Backup ${manifest.id} is corrupted: the SHA-256 of ${manifest.file} does not match its manifest`,
    );
  const scratch = path.join(backupDir, `.restore-${randomBytes(6).toString('hex')}`);
  await mkdir(scratch, { mode: 0o700 });
  const dispose = () => rm(scratch, { recursive: true, force: true });
  const out = path.join(scratch, 'dump');
  try {
    const plain = await decryptToFile(
      file,
      out,
      hexKey,
      additionalData(manifest),
      manifest.encryption.iv,
      manifest.encryption.authTag,
    ).catch((error: unknown) => {
      throw new BackupError(
        'backup_corrupt',
        `Backup ${manifest.id} failed authentication (AES-GCM tag): the file or its manifest was altered, or the key is wrong (${(error as Error).message})`,
      );
    });
    if (plain.sha256 !== manifest.plaintext.sha256)
      throw new BackupError(
        'backup_corrupt',
        `Backup ${manifest.id} is corrupted: the decrypted dump's SHA-256 does not match its manifest`,
      );
    return { file: out, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
