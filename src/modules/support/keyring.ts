import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { ResolvedConfig } from '../../config/load.ts';

export interface Keyring {
  /** Id of the key new messages are sealed with (the last in SUPPORT_KEYS). */
  currentId: string;
  keys: Map<string, Buffer>;
}

/** SUPPORT_KEYS, or one key derived from APP_SECRET (HKDF-SHA256, RFC 5869) so a first run needs no setup. */
export function supportKeyring(config: Pick<ResolvedConfig, 'supportKeys' | 'appSecret'>): Keyring {
  const keys = new Map<string, Buffer>();
  if (config.supportKeys) {
    for (const pair of config.supportKeys.split(',')) {
      const [id, hex] = pair.split(':') as [string, string];
      keys.set(id, Buffer.from(hex, 'hex'));
    }
  } else {
    keys.set(
      'app0',
      Buffer.from(
        hkdfSync(
          'sha256',
          Buffer.from(config.appSecret, 'hex'),
          Buffer.alloc(0),
          'vioscan support messages',
          32,
        ),
      ),
    );
  }
  return { currentId: [...keys.keys()].at(-1)!, keys };
}

/**
 * AES-256-GCM with a fresh 96-bit IV (NIST SP 800-38D); the row id is the associated data, so a
 * ciphertext moved to another row does not decrypt. Format: iv.ciphertext.tag (base64url).
 */
export function seal(ring: Keyring, plaintext: string, rowId: string): { keyId: string; sealed: string } {
  const key = ring.keys.get(ring.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(rowId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    keyId: ring.currentId,
    sealed: [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.'),
  };
}

export function open(ring: Keyring, keyId: string, sealed: string, rowId: string): string {
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`Support key ${keyId} is not in the keyring (SUPPORT_KEYS)`);
  const [iv, body, tag] = sealed.split('.').map((p) => Buffer.from(p, 'base64url')) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(rowId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
