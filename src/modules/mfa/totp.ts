import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import * as OTPAuth from 'otpauth';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { open, seal } from '../auth/crypto.ts';

const PERIOD = 30;
const RECOVERY_CODES = 10;

function totpFor(base32: string, label = 'VIOscan') {
  return new OTPAuth.TOTP({
    issuer: 'VIOscan',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: OTPAuth.Secret.fromBase32(base32),
  });
}

/** Starts enrolment: a fresh secret, kept sealed as pending until the user proves they stored it. */
export async function setupTotp(db: Database, appSecret: string, userId: string, email: string) {
  const secret = new OTPAuth.Secret({ size: 20 });
  await db.kysely
    .updateTable('users')
    .set({ totp_pending_secret: seal(appSecret, secret.base32) })
    .where('id', '=', userId)
    .execute();
  const uri = totpFor(secret.base32, email).toString();
  // Loaded on first enrolment rather than at start-up (issue 16).
  const { default: QRCode } = await import('qrcode');
  return { secret: secret.base32, uri, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1 }) };
}

/**
 * Checks a code with ±1 step of clock drift and refuses a step already used (ASVS 6.5.1:
 * a TOTP is accepted once). Returns the accepted step.
 */
export function checkTotp(base32: string, code: string, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(base32).validate({ token: code, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(Date.now() / 1000 / PERIOD) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

export async function enableTotp(
  db: Database,
  appSecret: string,
  userId: string,
  code: string,
): Promise<string[]> {
  const user = await db.kysely
    .selectFrom('users')
    .select(['totp_pending_secret'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!user.totp_pending_secret) throw new AppError('conflict', 'Start TOTP setup first.');
  const base32 = open(appSecret, user.totp_pending_secret);
  const step = checkTotp(base32, code, null);
  if (step === null) throw new AppError('mfa_failed');
  const codes = await newRecoveryCodes(db, userId);
  await db.kysely
    .updateTable('users')
    .set({
      totp_secret: user.totp_pending_secret,
      totp_pending_secret: null,
      totp_enabled_at: new Date(),
      totp_last_step: step,
    })
    .where('id', '=', userId)
    .execute();
  return codes;
}

/** Verifies a TOTP for step-up; consumes the step atomically so a replay in the same window fails. */
export async function verifyTotp(
  db: Database,
  appSecret: string,
  userId: string,
  code: string,
): Promise<boolean> {
  const user = await db.kysely
    .selectFrom('users')
    .select(['totp_secret', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!user.totp_secret) return false;
  const last = user.totp_last_step === null ? null : Number(user.totp_last_step);
  const step = checkTotp(open(appSecret, user.totp_secret), code, last);
  if (step === null) return false;
  const result = await db.kysely
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function removeTotp(db: Database, userId: string): Promise<void> {
  await db.kysely
    .updateTable('users')
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await db.kysely.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

/** Ten single-use codes, shown once, stored as argon2id hashes (ASVS 6.5.2: <112-bit secrets get a salted slow hash). */
export async function newRecoveryCodes(db: Database, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(8).toString('hex');
    return `${raw.slice(0, 8)}-${raw.slice(8)}`;
  });
  const rows = await Promise.all(
    codes.map(async (code) => ({
      id: randomUUID(),
      user_id: userId,
      code_hash: await argon2.hash(code, { type: argon2.argon2id }),
    })),
  );
  await db.kysely.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db.kysely.insertInto('recovery_codes').values(rows).execute();
  return codes;
}

/**
 * Replaces every recovery code of an account with TOTP by ten new ones; answers null (nothing
 * changed) when TOTP is not on.
 */
export async function regenerateRecoveryCodes(db: Database, userId: string): Promise<string[] | null> {
  const user = await db.kysely
    .selectFrom('users')
    .select(['totp_enabled_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!user.totp_enabled_at) return null;
  return newRecoveryCodes(db, userId);
}

export async function useRecoveryCode(db: Database, userId: string, code: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{8}$/.test(code.trim().toLowerCase())) return false;
  const rows = await db.kysely
    .selectFrom('recovery_codes')
    .select(['id', 'code_hash'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  for (const row of rows) {
    if (await argon2.verify(row.code_hash, code.trim().toLowerCase())) {
      const used = await db.kysely
        .updateTable('recovery_codes')
        .set({ used_at: new Date() })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(used.numUpdatedRows) === 1;
    }
  }
  return false;
}
