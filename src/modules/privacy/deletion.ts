import { sql } from 'kysely';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { withTransaction, type Tx } from '../../db/tx.ts';
import { appendAudit, erasePersonalAudit } from '../audit/service.ts';
import { emailRef } from '../security-events/service.ts';
import type { Mailer } from '../mail/mailer.ts';

export const DELETE_CONFIRMATION = 'delete my account';
/** What stands in a kept record for the email address of a deleted account. */
const ERASED = 'deleted account';

export interface DeletionResult {
  orgsDeleted: number;
  orgsTransferred: number;
}

/**
 * Organisations the user owns, under these rules: another owner exists → nothing to do; otherwise
 * ownership passes to the longest-standing admin, else the longest-standing member or viewer;
 * an organisation with nobody else in it is deleted with its data.
 */
async function handOverOrgs(
  tx: Tx,
  userId: string,
): Promise<DeletionResult & { billingReferencesKept: number }> {
  const owned = await tx
    .selectFrom('memberships')
    .select('org_id')
    .where('user_id', '=', userId)
    .where('role', '=', 'owner')
    .execute();
  const result = { orgsDeleted: 0, orgsTransferred: 0, billingReferencesKept: 0 };
  const rank = { owner: 0, admin: 1, member: 2, viewer: 3 } as const;
  for (const { org_id } of owned) {
    const others = await tx
      .selectFrom('memberships')
      .select(['user_id', 'role', 'created_at'])
      .where('org_id', '=', org_id)
      .where('user_id', '!=', userId)
      .execute();
    if (others.some((m) => m.role === 'owner')) continue;
    const heir = others.sort(
      (a, b) => rank[a.role] - rank[b.role] || a.created_at.getTime() - b.created_at.getTime(),
    )[0];
    if (heir) {
      await tx
        .updateTable('memberships')
        .set({ role: 'owner' })
        .where('org_id', '=', org_id)
        .where('user_id', '=', heir.user_id)
        .execute();
      await appendAudit(tx, {
        action: 'org.ownership_transferred',
        targetType: 'org',
        targetId: org_id,
        details: { reason: 'owner_deleted', to: heir.user_id },
      });
      result.orgsTransferred += 1;
    } else {
      // Stripe references outlive the organisation for accounting (legal obligation, inventory
      // class `billing`): the row has no foreign key and is marked, then purged years later.
      const kept = await tx
        .updateTable('billing_customers')
        .set({ org_deleted_at: new Date() })
        .where('org_id', '=', org_id)
        .where('org_deleted_at', 'is', null)
        .returning('org_id')
        .execute();
      result.billingReferencesKept += kept.length;
      await tx.deleteFrom('orgs').where('id', '=', org_id).execute();
      await appendAudit(tx, {
        action: 'org.deleted',
        targetType: 'org',
        targetId: org_id,
        details: { reason: 'owner_deleted' },
      });
      result.orgsDeleted += 1;
    }
  }
  return result;
}

/**
 * Self-serve erasure (GDPR art. 17). Checks of a fresh verification and the confirmation are the
 * route's; this removes or anonymises everything that points at the person, in one transaction.
 * Rows that cascade from users (sessions, tokens, memberships, factors, consents, exports, support)
 * go with the user row; logs that must stay for security keep no email, IP or user id.
 */
export async function deleteAccount(
  db: Database,
  config: ResolvedConfig,
  mailer: Mailer,
  user: { id: string; email: string },
): Promise<DeletionResult> {
  const ref = emailRef(config.appSecret, user.email);
  const result = await withTransaction(db, async (tx) => {
    const ips = new Set<string>();
    const collect = (rows: { ip: string | null }[]) => rows.forEach((r) => r.ip && ips.add(r.ip));
    collect(await tx.selectFrom('sessions').select('ip').where('user_id', '=', user.id).execute());
    collect(
      await tx
        .selectFrom('security_events')
        .select('ip')
        .where((eb) =>
          eb.or([eb('user_id', '=', user.id), eb('actor_id', '=', user.id), eb('subject', '=', ref)]),
        )
        .execute(),
    );
    collect(await tx.selectFrom('sign_in_attempts').select('ip').where('email', '=', user.email).execute());

    // Access ends first: nothing the user holds works after this statement.
    await tx
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
    await tx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .execute();
    const orgs = await handOverOrgs(tx, user.id);

    await tx
      .updateTable('security_events')
      .set({ user_id: null, actor_id: null, subject: null, ip: null })
      .where((eb) =>
        eb.or([eb('user_id', '=', user.id), eb('actor_id', '=', user.id), eb('subject', '=', ref)]),
      )
      .execute();
    await tx.deleteFrom('sign_in_attempts').where('email', '=', user.email).execute();
    await tx
      .updateTable('vulnerability_reports')
      .set({ reporter_email: null })
      .where('reporter_email', '=', user.email)
      .execute();
    await erasePersonalAudit(tx, user.id, user.email);
    // Access reviews keep the attestation but not the email of a deleted staff member
    // (inventory class `access-reviews`); `accounts` is JSON, so the quoted address is replaced.
    const quoted = JSON.stringify(user.email);
    await sql`update access_reviews set reviewer = ${ERASED}
      where reviewer = ${user.email}`.execute(tx);
    await sql`update access_reviews set accounts = replace(accounts, ${quoted}, ${JSON.stringify(ERASED)})
      where position(${quoted} in accounts) > 0`.execute(tx);
    for (const ip of ips) {
      await sql`update audit_personal set ip = null where ip = ${ip}`.execute(tx);
      await sql`update vulnerability_reports set ip = null where ip = ${ip}`.execute(tx);
      // Throttle counters are keyed by address; they would otherwise outlive the account.
      await sql`delete from rate_limits where position(${ip} in key) > 0`.execute(tx);
      await sql`delete from auth_blocks where position(${ip} in key) > 0`.execute(tx);
    }
    await tx.deleteFrom('users').where('id', '=', user.id).execute();
    // The hashed entry carries only the (now unresolvable) user id and counts: no email, no IP.
    await appendAudit(tx, {
      action: 'account.deleted',
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      details: { ...orgs },
    });
    return { orgsDeleted: orgs.orgsDeleted, orgsTransferred: orgs.orgsTransferred };
  });
  await mailer.send({
    to: user.email,
    subject: 'Your VIOscan account has been deleted',
    text: `Your account and its personal data have been deleted from ${config.baseUrl}. Organisations you owned alone were deleted; shared ones passed to another member (${result.orgsTransferred} transferred, ${result.orgsDeleted} deleted).\n\nEncrypted backups age out within six months. This is the last message we send to this address.\n`,
  });
  return result;
}
