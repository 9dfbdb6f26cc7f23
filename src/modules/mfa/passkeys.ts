import { randomUUID } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';

/** A challenge lives this long (WebAuthn §13.4.3: short-lived, single use). */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_PASSKEYS = 10;

/** The WebAuthn library, loaded on the first passkey request rather than at start-up (issue 16). */
const webauthn = () => import('@simplewebauthn/server');

export interface RelyingParty {
  rpID: string;
  origin: string;
}

/** rpID and origin from BASE_URL: the browser checks them, and so do we on every response. */
export function relyingParty(baseUrl: string): RelyingParty {
  const url = new URL(baseUrl);
  return { rpID: url.hostname, origin: url.origin };
}

type Purpose = 'register' | 'authenticate';

async function storeChallenge(db: Database, sessionId: string, purpose: Purpose, challenge: string) {
  await db.kysely
    .deleteFrom('webauthn_challenges')
    .where('session_id', '=', sessionId)
    .where('purpose', '=', purpose)
    .execute();
  await db.kysely
    .insertInto('webauthn_challenges')
    .values({
      id: randomUUID(),
      session_id: sessionId,
      purpose,
      challenge,
      expires_at: new Date(Date.now() + CHALLENGE_TTL_MS),
    })
    .execute();
}

/**
 * Takes the session's pending challenge and deletes it in the same step, so a response (or a
 * replay of one) is checked against a challenge at most once. Null when none is pending.
 */
async function takeChallenge(db: Database, sessionId: string, purpose: Purpose): Promise<string | null> {
  const row = await db.kysely
    .selectFrom('webauthn_challenges')
    .select(['id', 'challenge', 'expires_at'])
    .where('session_id', '=', sessionId)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row) return null;
  const deleted = await db.kysely
    .deleteFrom('webauthn_challenges')
    .where('id', '=', row.id)
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1 || row.expires_at.getTime() <= Date.now()) return null;
  return row.challenge;
}

function transportsOf(text: string): AuthenticatorTransport[] {
  return text ? (text.split(' ') as AuthenticatorTransport[]) : [];
}

export async function listPasskeys(db: Database, userId: string) {
  return db.kysely
    .selectFrom('passkeys')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function registrationOptions(
  db: Database,
  rp: RelyingParty,
  user: { id: string; email: string },
  sessionId: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await db.kysely
    .selectFrom('passkeys')
    .select(['id', 'transports'])
    .where('user_id', '=', user.id)
    .execute();
  if (existing.length >= MAX_PASSKEYS)
    throw new AppError('conflict', 'Remove a passkey before adding another.');
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: 'VIOscan',
    rpID: rp.rpID,
    userName: user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(db, sessionId, 'register', options.challenge);
  return options;
}

/** Verifies an attestation against the session's challenge and stores the credential; null when refused. */
export async function registerPasskey(
  db: Database,
  rp: RelyingParty,
  userId: string,
  sessionId: string,
  response: RegistrationResponseJSON,
  name: string,
): Promise<{ id: string; name: string } | null> {
  const challenge = await takeChallenge(db, sessionId, 'register');
  if (!challenge) return null;
  const { verifyRegistrationResponse } = await webauthn();
  let result;
  try {
    result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    return null;
  }
  if (!result.verified) return null;
  const { credential } = result.registrationInfo;
  const taken = await db.kysely
    .selectFrom('passkeys')
    .select('id')
    .where('id', '=', credential.id)
    .executeTakeFirst();
  if (taken) throw new AppError('conflict', 'This passkey is already registered.');
  await db.kysely
    .insertInto('passkeys')
    .values({
      id: credential.id,
      user_id: userId,
      public_key: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: (credential.transports ?? []).join(' '),
      name,
    })
    .execute();
  return { id: credential.id, name };
}

export async function authenticationOptions(
  db: Database,
  rp: RelyingParty,
  userId: string,
  sessionId: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const keys = await db.kysely
    .selectFrom('passkeys')
    .select(['id', 'transports'])
    .where('user_id', '=', userId)
    .execute();
  if (!keys.length) throw new AppError('conflict', 'No passkey is registered on this account.');
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: keys.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    userVerification: 'preferred',
  });
  await storeChallenge(db, sessionId, 'authenticate', options.challenge);
  return options;
}

/**
 * Verifies an assertion by one of the user's passkeys. The challenge is single use and the
 * signature counter is advanced with a compare-and-set, so a replayed assertion fails.
 */
export async function verifyPasskey(
  db: Database,
  rp: RelyingParty,
  userId: string,
  sessionId: string,
  response: AuthenticationResponseJSON,
): Promise<string | null> {
  const challenge = await takeChallenge(db, sessionId, 'authenticate');
  if (!challenge) return null;
  const key = await db.kysely
    .selectFrom('passkeys')
    .select(['id', 'public_key', 'counter', 'transports'])
    .where('id', '=', response.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!key) return null;
  const { verifyAuthenticationResponse } = await webauthn();
  let result;
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
      credential: {
        id: key.id,
        publicKey: new Uint8Array(Buffer.from(key.public_key, 'base64url')),
        counter: Number(key.counter),
        transports: transportsOf(key.transports),
      },
    });
  } catch {
    return null;
  }
  if (!result.verified) return null;
  const updated = await db.kysely
    .updateTable('passkeys')
    .set({ counter: result.authenticationInfo.newCounter, last_used_at: new Date() })
    .where('id', '=', key.id)
    .where('counter', '=', key.counter)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1 ? key.id : null;
}

export async function removePasskey(db: Database, userId: string, id: string): Promise<boolean> {
  const result = await db.kysely
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Renames one of the account's own passkeys; false when there is no such passkey of this account. */
export async function renamePasskey(
  db: Database,
  userId: string,
  id: string,
  name: string,
): Promise<boolean> {
  const result = await db.kysely
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
