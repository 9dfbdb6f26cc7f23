import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';
import { withTransaction } from '../../db/tx.ts';
import type { OrgRole } from '../../db/types.ts';

export async function createOrg(db: Database, name: string, ownerId: string) {
  const id = randomUUID();
  return db.kysely.transaction().execute(async (tx) => {
    const org = await tx.insertInto('orgs').values({ id, name }).returningAll().executeTakeFirstOrThrow();
    await tx.insertInto('memberships').values({ org_id: id, user_id: ownerId, role: 'owner' }).execute();
    return org;
  });
}

export async function orgsOf(db: Database, userId: string) {
  return db.kysely
    .selectFrom('orgs')
    .innerJoin('memberships', 'memberships.org_id', 'orgs.id')
    .select(['orgs.id', 'orgs.name', 'orgs.created_at', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('orgs.created_at')
    .execute();
}

export async function getOrg(db: Database, orgId: string) {
  return db.kysely.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
}

export async function renameOrg(db: Database, orgId: string, name: string) {
  return db.kysely
    .updateTable('orgs')
    .set({ name })
    .where('id', '=', orgId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function members(db: Database, orgId: string) {
  return db.kysely
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'memberships.role', 'memberships.created_at'])
    .where('memberships.org_id', '=', orgId)
    .orderBy('memberships.created_at')
    .execute();
}

export async function roleOf(db: Database, orgId: string, userId: string): Promise<OrgRole | undefined> {
  const row = await db.kysely
    .selectFrom('memberships')
    .select('role')
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

export async function ownerCount(db: Database, orgId: string): Promise<number> {
  const row = await db.kysely
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Adds the address as a member (creating a bare account that records terms at its first sign-in). */
export async function upsertMember(
  db: Database,
  orgId: string,
  email: string,
  role: OrgRole,
): Promise<string> {
  await db.kysely
    .insertInto('users')
    .values({ id: randomUUID(), email })
    .onConflict((c) => c.column('email').doNothing())
    .execute();
  const user = await db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  await db.kysely
    .insertInto('memberships')
    .values({ org_id: orgId, user_id: user.id, role })
    .onConflict((c) => c.columns(['org_id', 'user_id']).doUpdateSet({ role }))
    .execute();
  return user.id;
}

/**
 * Ends a membership unless it is the organisation's last owner, and revokes the API tokens the
 * person holds for it. The organisation row is locked first, so two owners leaving at once cannot
 * both pass the last-owner check.
 */
export async function removeMember(
  db: Database,
  orgId: string,
  userId: string,
): Promise<'removed' | 'not_member' | 'last_owner'> {
  return withTransaction(db, async (tx) => {
    await tx.selectFrom('orgs').select('id').where('id', '=', orgId).forUpdate().execute();
    const member = await tx
      .selectFrom('memberships')
      .select('role')
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!member) return 'not_member';
    if (member.role === 'owner') {
      const owners = await tx
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow();
      if (Number(owners.n) <= 1) return 'last_owner';
    }
    await tx.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
    await tx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
    return 'removed';
  });
}
