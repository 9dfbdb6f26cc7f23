import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import type { SiteRow, TrendPoint } from './present.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertSite(
  db: Database,
  site: { orgId: string; url: string; host: string; name: string },
) {
  return db.kysely
    .insertInto('sites')
    .values({
      id: randomUUID(),
      org_id: site.orgId,
      url: site.url,
      host: site.host,
      name: site.name,
      verification_token: randomBytes(18).toString('base64url'),
    })
    .onConflict((c) => c.columns(['org_id', 'url']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The site, only within its organisation: another org's site is `not_found` (never 403). */
export async function getSite(db: Database, orgId: string, siteId: string): Promise<SiteRow> {
  const site = UUID.test(siteId)
    ? await db.kysely
        .selectFrom('sites')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', siteId)
        .executeTakeFirst()
    : undefined;
  if (!site) throw new AppError('not_found');
  return site;
}

export async function listSites(db: Database, orgId: string): Promise<SiteRow[]> {
  return db.kysely
    .selectFrom('sites')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .execute();
}

/** Undefined when the new URL is already another site of the organisation. */
export async function updateSite(
  db: Database,
  siteId: string,
  change: Partial<Pick<SiteRow, 'name' | 'url' | 'host' | 'verified_at' | 'verified_by' | 'schedule'>>,
): Promise<SiteRow | undefined> {
  try {
    return await db.kysely
      .updateTable('sites')
      .set(change)
      .where('id', '=', siteId)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return undefined;
    throw error;
  }
}

export async function deleteSite(db: Database, orgId: string, siteId: string): Promise<void> {
  await db.kysely.deleteFrom('sites').where('org_id', '=', orgId).where('id', '=', siteId).execute();
}

export async function markVerified(db: Database, siteId: string, method: 'dns' | 'file'): Promise<SiteRow> {
  return db.kysely
    .updateTable('sites')
    .set({ verified_at: new Date(), verified_by: method })
    .where('id', '=', siteId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setSchedule(db: Database, siteId: string, schedule: string | null): Promise<SiteRow> {
  return db.kysely
    .updateTable('sites')
    .set({ schedule })
    .where('id', '=', siteId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The latest `limit` successful scans per site, oldest first: grade history (security and privacy) and sparkline. */
export async function trends(
  db: Database,
  siteIds: string[],
  limit = 12,
): Promise<Map<string, TrendPoint[]>> {
  const out = new Map<string, TrendPoint[]>();
  if (siteIds.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('scans')
    .select(['site_id', 'finished_at', 'grade', 'score', 'privacy_grade', 'privacy_score'])
    .where('site_id', 'in', siteIds)
    .where('status', '=', 'succeeded')
    .where('grade', 'is not', null)
    .orderBy('finished_at', 'desc')
    .execute();
  for (const row of rows) {
    const list = out.get(row.site_id) ?? [];
    if (list.length < limit)
      list.unshift({
        at: row.finished_at!,
        grade: row.grade!,
        score: row.score ?? 0,
        privacyGrade: row.privacy_grade,
        privacyScore: row.privacy_score,
      });
    out.set(row.site_id, list);
  }
  return out;
}
