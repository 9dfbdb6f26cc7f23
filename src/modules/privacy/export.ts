import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import { listOwn } from '../support/service.ts';
import { listConsents } from './consent.ts';
import { EXPORT_KEEP_DAYS } from './inventory.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Queues an export; the data-export job builds it. The link carries a 256-bit token, stored hashed. */
export async function requestExport(db: Database, userId: string, ip: string) {
  const id = randomUUID();
  const token = randomBytes(32).toString('base64url');
  await db.kysely.transaction().execute(async (tx) => {
    await tx
      .insertInto('data_exports')
      .values({
        id,
        user_id: userId,
        token_hash: sha256(token),
        expires_at: new Date(Date.now() + EXPORT_KEEP_DAYS * 86_400_000),
      })
      .execute();
    await appendAudit(tx, {
      action: 'data.export_requested',
      actorId: userId,
      ip,
      targetType: 'data_export',
      targetId: id,
    });
  });
  return { id, status: 'pending' as const, url: `/api/v1/account/exports/${id}?token=${token}` };
}

/** Everything about the person, and the organisations they may read (GDPR art. 15 and 20). */
export async function buildArchive(db: Database, config: ResolvedConfig, userId: string) {
  const k = db.kysely;
  const user = await k
    .selectFrom('users')
    .select([
      'id',
      'email',
      'platform_role',
      'created_at',
      'last_seen_at',
      'terms_version',
      'terms_accepted_at',
      'privacy_version',
      'privacy_accepted_at',
      'totp_enabled_at',
    ])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const memberships = await k
    .selectFrom('memberships')
    .innerJoin('orgs', 'orgs.id', 'memberships.org_id')
    .select(['orgs.id', 'orgs.name', 'orgs.created_at', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .execute();
  const orgIds = memberships.map((m) => m.id);
  const members = orgIds.length
    ? await k
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['memberships.org_id', 'users.email', 'memberships.role'])
        .where('memberships.org_id', 'in', orgIds)
        .execute()
    : [];
  return {
    format: 'vioscan-export/1',
    generatedAt: new Date().toISOString(),
    account: user,
    consents: (await listConsents(db, userId)).history,
    sessions: await k
      .selectFrom('sessions')
      .select(['created_at', 'last_seen_at', 'expires_at', 'revoked_at', 'ip', 'user_agent'])
      .where('user_id', '=', userId)
      .execute(),
    apiTokens: await k
      .selectFrom('api_tokens')
      .select([
        'name',
        'prefix',
        'org_id',
        'scopes',
        'created_at',
        'expires_at',
        'last_used_at',
        'revoked_at',
      ])
      .where('user_id', '=', userId)
      .execute(),
    securityEvents: await k
      .selectFrom('security_events')
      .select(['at', 'type', 'outcome', 'ip', 'details'])
      .where('user_id', '=', userId)
      .orderBy('at')
      .execute(),
    organisations: memberships.map((m) => ({
      ...m,
      members: members.filter((x) => x.org_id === m.id).map(({ email, role }) => ({ email, role })),
    })),
    support: await listOwn(db, config, userId),
    auditTrail: await k
      .selectFrom('audit_log')
      .select(['seq', 'at', 'action', 'target_type', 'target_id', 'details'])
      .where('actor_id', '=', userId)
      .orderBy('seq')
      .execute(),
  };
}

/** Builds every pending export (the data-export job). */
export async function buildPendingExports(db: Database, config: ResolvedConfig): Promise<number> {
  const pending = await db.kysely
    .selectFrom('data_exports')
    .select(['id', 'user_id'])
    .where('status', '=', 'pending')
    .execute();
  for (const row of pending) {
    const archive = JSON.stringify(await buildArchive(db, config, row.user_id));
    await db.kysely
      .updateTable('data_exports')
      .set({ status: 'ready', archive, ready_at: new Date() })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .execute();
  }
  return pending.length;
}

/** The user's exports, newest first, without their archives (the status the settings screen polls). */
export async function listExports(db: Database, userId: string) {
  const rows = await db.kysely
    .selectFrom('data_exports')
    .select(['id', 'status', 'created_at', 'ready_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    readyAt: r.ready_at?.toISOString() ?? null,
    expiresAt: r.expires_at.toISOString(),
    expired: r.expires_at.getTime() <= now,
  }));
}

export async function downloadExport(
  db: Database,
  userId: string,
  id: string,
  token: string,
): Promise<string> {
  const row = await db.kysely
    .selectFrom('data_exports')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row || row.token_hash !== sha256(token)) throw new AppError('not_found');
  if (row.expires_at.getTime() <= Date.now()) throw new AppError('export_expired');
  if (row.status !== 'ready' || !row.archive) throw new AppError('export_not_ready');
  return row.archive;
}
