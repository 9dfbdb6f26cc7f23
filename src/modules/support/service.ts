import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { withTransaction } from '../../db/tx.ts';
import { AppError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Mailer } from '../mail/mailer.ts';
import { open, seal, supportKeyring, type Keyring } from './keyring.ts';

export interface MessageContent {
  subject: string;
  body: string;
  siteId?: string | undefined;
  scanId?: string | undefined;
}

type Row = {
  id: string;
  thread_id: string;
  user_id: string | null;
  direction: 'in' | 'out';
  key_id: string;
  sealed_body: string;
  created_at: Date;
};

function present(ring: Keyring, row: Row) {
  const content = JSON.parse(open(ring, row.key_id, row.sealed_body, row.id)) as MessageContent;
  return {
    id: row.id,
    threadId: row.thread_id,
    userId: row.user_id,
    direction: row.direction,
    createdAt: row.created_at.toISOString(),
    ...content,
  };
}

const columns = ['id', 'thread_id', 'user_id', 'direction', 'key_id', 'sealed_body', 'created_at'] as const;

export async function sendMessage(
  db: Database,
  config: ResolvedConfig,
  userId: string,
  content: MessageContent,
) {
  const ring = supportKeyring(config);
  const id = randomUUID();
  const { keyId, sealed } = seal(ring, JSON.stringify(content), id);
  await db.kysely
    .insertInto('support_messages')
    .values({ id, thread_id: id, user_id: userId, direction: 'in', key_id: keyId, sealed_body: sealed })
    .execute();
  return { id, threadId: id };
}

export async function listOwn(db: Database, config: ResolvedConfig, userId: string) {
  const rows = await db.kysely
    .selectFrom('support_messages')
    .select(columns)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  const ring = supportKeyring(config);
  return rows.map((r) => present(ring, r));
}

/**
 * The support role's inbox, newest first. Each message carries its account's current email (null
 * once the account is deleted) and the site and scan it names, resolved only when they belong to
 * an organisation the account is a member of: a message cannot make another customer's site look
 * like the sender's. The email is for the screen only; nothing here logs it.
 */
export async function inbox(db: Database, config: ResolvedConfig) {
  const rows = await db.kysely
    .selectFrom('support_messages as m')
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(columns.map((c) => `m.${c}` as const))
    .select('u.email as user_email')
    .orderBy('m.created_at', 'desc')
    .limit(200)
    .execute();
  const ring = supportKeyring(config);
  const messages = rows.map((r) => ({ ...present(ring, r), userEmail: r.user_email ?? null }));

  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const ids = (pick: (m: (typeof messages)[number]) => string | undefined) => [
    ...new Set(messages.map(pick).filter((id): id is string => !!id && uuid.test(id))),
  ];
  const siteIds = ids((m) => m.siteId);
  const scanIds = ids((m) => m.scanId);
  const userIds = ids((m) => m.userId ?? undefined);
  const [sites, scans, memberships] = await Promise.all([
    siteIds.length
      ? db.kysely
          .selectFrom('sites')
          .select(['id', 'org_id', 'name', 'url'])
          .where('id', 'in', siteIds)
          .execute()
      : [],
    scanIds.length
      ? db.kysely
          .selectFrom('scans')
          .select(['id', 'org_id', 'site_id', 'target', 'status', 'created_at'])
          .where('id', 'in', scanIds)
          .execute()
      : [],
    userIds.length && (siteIds.length || scanIds.length)
      ? db.kysely
          .selectFrom('memberships')
          .select(['user_id', 'org_id'])
          .where('user_id', 'in', userIds)
          .execute()
      : [],
  ]);
  const member = new Set(memberships.map((m) => `${m.user_id} ${m.org_id}`));
  const mine = (userId: string | null, orgId: string) => userId !== null && member.has(`${userId} ${orgId}`);
  return messages.map((m) => {
    const site = sites.find((s) => s.id === m.siteId && mine(m.userId, s.org_id));
    const scan = scans.find((s) => s.id === m.scanId && mine(m.userId, s.org_id));
    return {
      ...m,
      site: site ? { id: site.id, name: site.name, url: site.url } : null,
      scan: scan
        ? {
            id: scan.id,
            siteId: scan.site_id,
            target: scan.target,
            status: scan.status,
            createdAt: scan.created_at.toISOString(),
          }
        : null,
    };
  });
}

/** A staff reply: sealed like the message, mailed to the user, thread activity bumped (retention), audited. */
export async function reply(
  db: Database,
  config: ResolvedConfig,
  mailer: Mailer,
  staff: { id: string; email: string; ip: string },
  messageId: string,
  body: string,
) {
  const ring = supportKeyring(config);
  const original = await db.kysely
    .selectFrom('support_messages')
    .select(columns)
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!original) throw new AppError('not_found');
  const subject = `Re: ${present(ring, original).subject}`;
  const id = randomUUID();
  const { keyId, sealed } = seal(ring, JSON.stringify({ subject, body }), id);
  const to = await withTransaction(db, async (tx) => {
    await tx
      .insertInto('support_messages')
      .values({
        id,
        thread_id: original.thread_id,
        user_id: original.user_id,
        author_id: staff.id,
        direction: 'out',
        key_id: keyId,
        sealed_body: sealed,
      })
      .execute();
    await tx
      .updateTable('support_messages')
      .set({ last_activity_at: new Date() })
      .where('thread_id', '=', original.thread_id)
      .execute();
    await appendAudit(tx, {
      action: 'support.replied',
      actorId: staff.id,
      actorEmail: staff.email,
      ip: staff.ip,
      targetType: 'support_thread',
      targetId: original.thread_id,
    });
    if (!original.user_id) return undefined;
    return (
      await tx.selectFrom('users').select('email').where('id', '=', original.user_id).executeTakeFirst()
    )?.email;
  });
  if (to)
    await mailer.send({
      to,
      subject: `[VIOscan support] ${subject}`,
      text: `${body}\n\n— VIOscan support (${config.baseUrl})\n`,
    });
  return { id, threadId: original.thread_id };
}

/** `vioscan keys rotate`: re-seals every message not under the current key, in batches, then audits. */
export async function rotateSupportKeys(
  db: Database,
  config: Pick<ResolvedConfig, 'supportKeys' | 'appSecret'>,
): Promise<{ keyId: string; resealed: number }> {
  const ring = supportKeyring(config);
  let resealed = 0;
  for (;;) {
    const batch = await withTransaction(db, async (tx) => {
      const rows = await tx
        .selectFrom('support_messages')
        .select(['id', 'key_id', 'sealed_body'])
        .where('key_id', '!=', ring.currentId)
        .limit(200)
        .forUpdate()
        .execute();
      for (const row of rows) {
        const { keyId, sealed } = seal(ring, open(ring, row.key_id, row.sealed_body, row.id), row.id);
        await tx
          .updateTable('support_messages')
          .set({ key_id: keyId, sealed_body: sealed })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.length;
    });
    resealed += batch;
    if (batch === 0) break;
  }
  await appendAudit(db, { action: 'support.keys_rotated', details: { keyId: ring.currentId, resealed } });
  return { keyId: ring.currentId, resealed };
}
