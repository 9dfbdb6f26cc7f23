import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto';

/** 256-bit secret as base64url (ASVS 7.2.3, 6.5.3: CSPRNG, ≥128 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Six decimal digits from the CSPRNG (ASVS 6.5.4: ≥20 bits). */
export function randomCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Plain SHA-256 is enough for ≥112-bit secrets (ASVS 6.5.2); short codes are keyed, see keyedHash. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * HMAC with APP_SECRET: for short codes (so a database dump alone cannot brute-force them offline)
 * and for pseudonymous references to email addresses in security events and logs.
 */
export function keyedHash(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', Buffer.from(secret, 'hex')).update(`${purpose}\0${value}`).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function sealKey(secret: string): Buffer {
  return createHash('sha256').update(`vioscan-seal\0${secret}`).digest();
}

/** AES-256-GCM for secrets we must read back (TOTP seeds); flipping a byte makes open() throw. */
export function seal(secret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    'v1',
    iv.toString('base64url'),
    body.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

export function open(secret: string, sealed: string): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
