import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';
import { withTransaction, type Tx } from '../../db/tx.ts';
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

/**
 * Membership changes run in one transaction that first locks the organisation row, so two
 * concurrent changes cannot both pass the last-owner check and leave it without an owner.
 */
async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.selectFrom('orgs').select('id').where('id', '=', orgId).forUpdate().execute();
}

async function ownerCount(tx: Tx, orgId: string): Promise<number> {
  const row = await tx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type RoleChange =
  | { outcome: 'changed'; userId: string; previous: OrgRole | null }
  | { outcome: 'forbidden' }
  | { outcome: 'last_owner' };

/**
 * Adds the address as a member or changes their role (creating a bare account that records terms
 * at its first sign-in). Only an owner makes or unmakes owners; the last owner keeps the role.
 */
export async function setMemberRole(
  db: Database,
  orgId: string,
  email: string,
  role: OrgRole,
  actorId: string,
): Promise<RoleChange> {
  return withTransaction(db, async (tx) => {
    await lockOrg(tx, orgId);
    // The actor's role as of now, under the lock: a concurrent change may just have taken it.
    const actor = await tx
      .selectFrom('memberships')
      .select('role')
      .where('org_id', '=', orgId)
      .where('user_id', '=', actorId)
      .executeTakeFirst();
    const actorRole = actor?.role;
    const existing = await tx
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select('memberships.role')
      .where('users.email', '=', email)
      .where('memberships.org_id', '=', orgId)
      .executeTakeFirst();
    if ((role === 'owner' || existing?.role === 'owner') && actorRole !== 'owner')
      return { outcome: 'forbidden' };
    if (existing?.role === 'owner' && role !== 'owner' && (await ownerCount(tx, orgId)) <= 1)
      return { outcome: 'last_owner' };
    await tx
      .insertInto('users')
      .values({ id: randomUUID(), email })
      .onConflict((c) => c.column('email').doNothing())
      .execute();
    const user = await tx
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('memberships')
      .values({ org_id: orgId, user_id: user.id, role })
      .onConflict((c) => c.columns(['org_id', 'user_id']).doUpdateSet({ role }))
      .execute();
    return { outcome: 'changed', userId: user.id, previous: existing?.role ?? null };
  });
}

/** Ends a membership unless it is the last owner's, and revokes the person's API tokens for the organisation. */
export async function removeMember(
  db: Database,
  orgId: string,
  userId: string,
): Promise<'removed' | 'not_member' | 'last_owner'> {
  return withTransaction(db, async (tx) => {
    await lockOrg(tx, orgId);
    const member = await tx
      .selectFrom('memberships')
      .select('role')
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!member) return 'not_member';
    if (member.role === 'owner' && (await ownerCount(tx, orgId)) <= 1) return 'last_owner';
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
