import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { limitsOf } from './plan-limits.ts';

/** The limits that count something (the rest of PlanLimits are switches). */
export type Quota = 'sites' | 'scansPerMonth' | 'browserScansPerMonth';

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
  let query = db.kysely
    .selectFrom('scans')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .where('created_at', '>=', sql<Date>`date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'`);
  if (quota === 'browserScansPerMonth') query = query.where('browser', '=', true);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function planOf(db: Database, orgId: string) {
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

/**
 * Whether a scan requested now gets the browser stage: the plan's browser scans this month are not
 * used up, and a scheduled scan only on a plan whose schedules include it. Never an error: a scan
 * the plan does not cover runs without the browser (an explicit request is refused by the caller).
 */
export async function browserAllowed(db: Database, orgId: string, scheduled: boolean): Promise<boolean> {
  const { limits } = await planOf(db, orgId);
  if (scheduled && !limits.scheduledBrowserScans) return false;
  return (await used(db, orgId, 'browserScansPerMonth')) < limits.browserScansPerMonth;
}

export async function usageSummary(db: Database, orgId: string) {
  const { plan, limits } = await planOf(db, orgId);
  return {
    plan,
    limits,
    used: {
      sites: await used(db, orgId, 'sites'),
      scansPerMonth: await used(db, orgId, 'scansPerMonth'),
      browserScansPerMonth: await used(db, orgId, 'browserScansPerMonth'),
    },
  };
}
