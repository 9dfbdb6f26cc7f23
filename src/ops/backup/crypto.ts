import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  type Hash,
} from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const ALGORITHM = 'aes-256-gcm';
/** 96-bit IVs are GCM's native size (NIST SP 800-38D §8.2); a fresh random one per backup. */
const IV_BYTES = 12;

export function keyBytes(hexKey: string): Buffer {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32) throw new Error('BACKUP_KEY must be 64 hex characters (32 bytes)');
  return key;
}

/** Names a key without revealing it: an HMAC of a fixed label, so backups say which key opens them. */
export function keyId(hexKey: string): string {
  return createHmac('sha256', keyBytes(hexKey)).update('vioscan backup key id').digest('hex').slice(0, 16);
}

/** Passes bytes through while hashing and counting them. */
function tap(hash: Hash, counter: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

export interface Sealed {
  iv: string;
  authTag: string;
  plaintext: { bytes: number; sha256: string };
  ciphertext: { bytes: number; sha256: string };
}

/** Streams source through AES-256-GCM into file, hashing both sides so corruption is caught before decryption. */
export async function encryptToFile(
  source: Readable,
  file: string,
  hexKey: string,
  aad: string,
): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyBytes(hexKey), iv);
  cipher.setAAD(Buffer.from(aad));
  const plainHash = createHash('sha256');
  const cipherHash = createHash('sha256');
  const plain = { bytes: 0 };
  const sealed = { bytes: 0 };
  await pipeline(
    source,
    tap(plainHash, plain),
    cipher,
    tap(cipherHash, sealed),
    createWriteStream(file, { mode: 0o600, flags: 'wx' }),
  );
  return {
    iv: iv.toString('hex'),
    authTag: cipher.getAuthTag().toString('hex'),
    plaintext: { bytes: plain.bytes, sha256: plainHash.digest('hex') },
    ciphertext: { bytes: sealed.bytes, sha256: cipherHash.digest('hex') },
  };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Decrypts file into out. GCM releases plaintext before it has checked the tag, so out must be
 * a private scratch file that is used only after this resolves (the tag is checked in final()).
 */
export async function decryptToFile(
  file: string,
  out: string,
  hexKey: string,
  aad: string,
  iv: string,
  authTag: string,
): Promise<{ bytes: number; sha256: string }> {
  const decipher = createDecipheriv(ALGORITHM, keyBytes(hexKey), Buffer.from(iv, 'hex'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(authTag, 'hex'));
  const hash = createHash('sha256');
  const counter = { bytes: 0 };
  await pipeline(
    createReadStream(file),
    decipher,
    tap(hash, counter),
    createWriteStream(out, { mode: 0o600, flags: 'wx' }),
  );
  return { bytes: counter.bytes, sha256: hash.digest('hex') };
}
