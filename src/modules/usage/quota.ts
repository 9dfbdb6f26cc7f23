import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { limitsOf, type PlanLimits } from './plan-limits.ts';

export type Quota = keyof PlanLimits;

/** Records one usage decision (every scan and every quota decision is a usage event). */
export async function recordUsage(
  db: Database,
  event: {
    orgId: string;
    kind: string;
    decision: 'allowed' | 'denied';
    subjectId?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.kysely
    .insertInto('usage_events')
    .values({
      id: randomUUID(),
      org_id: event.orgId,
      kind: event.kind,
      decision: event.decision,
      subject_id: event.subjectId ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

async function used(db: Database, orgId: string, quota: Quota): Promise<number> {
  if (quota === 'sites') {
    const row = await db.kysely
      .selectFrom('sites')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const row = await db.kysely
    .selectFrom('scans')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .where('created_at', '>=', sql<Date>`date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function planOf(db: Database, orgId: string) {
  const org = await db.kysely
    .selectFrom('orgs')
    .select('plan')
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  return limitsOf(org.plan);
}

/**
 * Throws `quota_exceeded` (and records the denial) when one more would pass the plan's limit.
 * The count and the insert that follows are not one transaction: two concurrent requests at the
 * limit may both pass, which overshoots by at most the concurrency; a hard cap would need a
 * per-org lock for little gain.
 */
export async function enforceQuota(db: Database, orgId: string, quota: Quota, kind: string): Promise<void> {
  const { plan, limits } = await planOf(db, orgId);
  const count = await used(db, orgId, quota);
  const limit = limits[quota];
  if (count >= limit) {
    await recordUsage(db, { orgId, kind, decision: 'denied', details: { quota, limit, used: count, plan } });
    throw new AppError('quota_exceeded', undefined, { quota, limit, used: count, plan });
  }
}

export async function usageSummary(db: Database, orgId: string) {
  const { plan, limits } = await planOf(db, orgId);
  return {
    plan,
    limits,
    used: { sites: await used(db, orgId, 'sites'), scansPerMonth: await used(db, orgId, 'scansPerMonth') },
  };
}
