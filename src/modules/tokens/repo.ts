import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';
import { randomToken, sha256 } from '../auth/crypto.ts';
import type { SessionUser } from '../auth/sessions.ts';

export const TOKEN_PREFIX = 'vio_pat_';

export interface TokenRow {
  id: string;
  user_id: string;
  org_id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const LAST_USED_MS = 60_000;

export type TokenCheck = { ok: true; token: TokenRow; user: SessionUser } | { ok: false; reason: string };

/** Bearer check: hash lookup (ASVS 6.5.2: 256-bit secrets may use a plain hash), then expiry, revocation, owner. */
export async function checkToken(db: Database, presented: string): Promise<TokenCheck> {
  if (!presented.startsWith(TOKEN_PREFIX) || presented.length > 100)
    return { ok: false, reason: 'malformed' };
  const row = await db.kysely
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.user_id',
      'api_tokens.org_id',
      'api_tokens.name',
      'api_tokens.prefix',
      'api_tokens.scopes',
      'api_tokens.created_at',
      'api_tokens.expires_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'users.email',
      'users.platform_role',
      'users.status',
      'users.totp_enabled_at',
    ])
    .where('api_tokens.token_hash', '=', sha256(presented))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
  if (row.status !== 'active') return { ok: false, reason: 'disabled' };
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_MS) {
    await db.kysely
      .updateTable('api_tokens')
      .set({ last_used_at: new Date() })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    ok: true,
    token: { ...pick(row), scopes: row.scopes.split(' ').filter(Boolean) },
    user: {
      id: row.user_id,
      email: row.email,
      platform_role: row.platform_role,
      totp_enabled_at: row.totp_enabled_at,
    },
  };
}

function pick(row: Omit<TokenRow, 'scopes'> & Record<string, unknown>): Omit<TokenRow, 'scopes'> {
  const { id, user_id, org_id, name, prefix, created_at, expires_at, last_used_at } = row;
  return { id, user_id, org_id, name, prefix, created_at, expires_at, last_used_at };
}

export async function createToken(
  db: Database,
  input: { userId: string; orgId: string; name: string; scopes: string[]; expiresAt: Date | null },
): Promise<{ id: string; token: string; prefix: string }> {
  const token = `${TOKEN_PREFIX}${randomToken()}`;
  const id = randomUUID();
  // The visible prefix identifies a token in lists and leak reports without revealing it.
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  await db.kysely
    .insertInto('api_tokens')
    .values({
      id,
      user_id: input.userId,
      org_id: input.orgId,
      name: input.name,
      prefix,
      token_hash: sha256(token),
      scopes: input.scopes.join(' '),
      expires_at: input.expiresAt,
    })
    .execute();
  return { id, token, prefix };
}

export async function listTokens(db: Database, orgId: string) {
  return db.kysely
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'prefix', 'scopes', 'created_at', 'expires_at', 'last_used_at'])
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeToken(db: Database, orgId: string, id: string): Promise<boolean> {
  const result = await db.kysely
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revokeUserTokens(db: Database, userId: string): Promise<number> {
  const result = await db.kysely
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The token's organisation and its owner's role there (none once the owner left it). */
export async function tokenOrg(db: Database, orgId: string, userId: string) {
  return db.kysely
    .selectFrom('orgs')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.org_id', '=', 'orgs.id').on('memberships.user_id', '=', userId),
    )
    .select(['orgs.id', 'orgs.name', 'memberships.role'])
    .where('orgs.id', '=', orgId)
    .executeTakeFirst();
}
