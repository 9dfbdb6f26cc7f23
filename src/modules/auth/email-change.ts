import { sql } from 'kysely';
import { AppError } from '../../errors.ts';
import type { Mail } from '../mail/mailer.ts';
import { emailRef } from '../security-events/service.ts';
import { keyedHash, open, randomCode, safeEqual, seal } from './crypto.ts';
import type { ClientInfo, IdentityDeps } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { overLimit } from './throttle.ts';

/** Same rules as a sign-in code (ASVS 6.5.5, 6.6.3): 10 minutes, 5 tries, stored keyed-hashed. */
export const CHANGE_TTL_MS = 10 * 60_000;
export const CHANGE_MAX_TRIES = 5;
const REQUESTS = { max: 5, windowMs: 60 * 60_000 };

const codeHash = (secret: string, userId: string, code: string) =>
  keyedHash(secret, 'email-change-code', `${userId}:${code}`);

function changeCodeMail(to: string, code: string): Mail {
  return {
    to,
    subject: 'Confirm your new VIOscan email address',
    text: [
      'Someone (hopefully you) asked to move a VIOscan account to this address.',
      '',
      `Your code: ${code}`,
      '',
      'Enter it in the browser where you asked, within 10 minutes. If you did not ask, ignore this mail.',
    ].join('\n'),
  };
}

/** Shows enough of an address to recognise it in the notice to the old one. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export function changedMail(to: string, newEmail: string): Mail {
  return {
    to,
    subject: 'Your VIOscan email address was changed',
    text: [
      `The email address of your VIOscan account was changed to ${maskEmail(newEmail)} at ${new Date().toISOString()}.`,
      'Sign-in codes now go to the new address, and your other sessions were ended.',
      '',
      'If this was not you, contact support at once.',
    ].join('\n'),
  };
}

async function addressTaken(deps: IdentityDeps, email: string, userId: string): Promise<boolean> {
  const row = await deps.db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .where('id', '!=', userId)
    .executeTakeFirst();
  return Boolean(row);
}

/** Records a failed change as a security event, then throws the error the caller shows. */
function failWith(events: IdentityDeps['events'], userId: string, client: ClientInfo) {
  return async (reason: string, error: AppError): Promise<never> => {
    await events.record({
      type: 'email.change_failed',
      outcome: 'failure',
      userId,
      ip: client.ip,
      requestId: client.requestId,
      details: { reason },
    });
    throw error;
  };
}

/** Mails a code to the new address; the change waits for it (one pending change per account). */
export async function requestEmailChange(
  deps: IdentityDeps,
  user: { id: string; email: string },
  input: string,
  client: ClientInfo,
): Promise<void> {
  const { db, config, events, mailer } = deps;
  const fail = failWith(events, user.id, client);
  let email: string;
  try {
    email = normalizeEmail(input);
  } catch {
    return fail('invalid_email', new AppError('invalid_email'));
  }
  if (email === user.email)
    return fail('same_email', new AppError('conflict', 'That is already your address.'));
  if (await overLimit(db, `email-change|${user.id}`, REQUESTS))
    return fail('rate_limited', new AppError('rate_limited'));
  if (await addressTaken(deps, email, user.id)) return fail('in_use', new AppError('email_in_use'));
  const code = randomCode();
  await db.kysely.deleteFrom('email_changes').where('user_id', '=', user.id).execute();
  await db.kysely
    .insertInto('email_changes')
    .values({
      user_id: user.id,
      new_email_sealed: seal(config.appSecret, email),
      code_hash: codeHash(config.appSecret, user.id, code),
      expires_at: new Date(Date.now() + CHANGE_TTL_MS),
    })
    .execute();
  await mailer.send(changeCodeMail(email, code));
  await events.record({
    type: 'email.change_requested',
    outcome: 'success',
    userId: user.id,
    email,
    ip: client.ip,
    requestId: client.requestId,
  });
}

/**
 * Checks the code and moves the account to the new address. The row is consumed with a
 * compare-and-set on `tries`, so a code works once even when two requests race.
 */
export async function confirmEmailChange(
  deps: IdentityDeps,
  user: { id: string; email: string },
  code: string,
  client: ClientInfo,
): Promise<{ oldEmail: string; newEmail: string }> {
  const { db, config, events } = deps;
  const fail = failWith(events, user.id, client);
  const row = await db.kysely
    .selectFrom('email_changes')
    .selectAll()
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= Date.now() || row.tries >= CHANGE_MAX_TRIES)
    return fail('expired', new AppError('email_change_expired'));
  if (!/^\d{6}$/.test(code) || !safeEqual(codeHash(config.appSecret, user.id, code), row.code_hash)) {
    await db.kysely
      .updateTable('email_changes')
      .set({ tries: sql`tries + 1` })
      .where('user_id', '=', user.id)
      .execute();
    return fail('wrong_code', new AppError('email_change_failed'));
  }
  const consumed = await db.kysely
    .deleteFrom('email_changes')
    .where('user_id', '=', user.id)
    .where('tries', '=', row.tries)
    .where('code_hash', '=', row.code_hash)
    .executeTakeFirst();
  if (Number(consumed.numDeletedRows) !== 1) return fail('expired', new AppError('email_change_expired'));
  const newEmail = open(config.appSecret, row.new_email_sealed);
  if (await addressTaken(deps, newEmail, user.id)) return fail('in_use', new AppError('email_in_use'));
  try {
    await db.kysely.updateTable('users').set({ email: newEmail }).where('id', '=', user.id).execute();
  } catch {
    // The unique index caught a sign-up for the same address in between.
    return fail('in_use', new AppError('email_in_use'));
  }
  await events.record({
    type: 'email.changed',
    outcome: 'success',
    userId: user.id,
    email: newEmail,
    ip: client.ip,
    requestId: client.requestId,
    // The old address only as its keyed reference, like every address in events.
    details: { previousRef: emailRef(config.appSecret, user.email) },
  });
  return { oldEmail: user.email, newEmail };
}
