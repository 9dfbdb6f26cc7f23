import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { requestScan } from '../scans/service.ts';
import { cronFor, lastOccurrence } from './cron.ts';

/**
 * One tick of the scheduler (the `scan-scheduler` pg-boss schedule, every minute): every
 * verified site with a schedule whose latest occurrence has no scheduled scan yet gets one.
 * A tick that was missed (no worker for an hour) catches up with one scan, not many.
 */
export async function enqueueDueScans(
  db: Database,
  config: ResolvedConfig,
  boss: PgBoss,
  logger: Logger,
  now = new Date(),
): Promise<string[]> {
  const sites = await db.kysely
    .selectFrom('sites')
    .select(['id', 'org_id', 'schedule', 'created_at'])
    .where('schedule', 'is not', null)
    .where('verified_at', 'is not', null)
    .execute();
  const queued: string[] = [];
  for (const site of sites) {
    const due = lastOccurrence(cronFor(site.schedule!, site.id), now);
    if (due < site.created_at) continue;
    // Claim the occurrence: of two ticks (or two supervisors) only one updates the row.
    const claimed = await db.kysely
      .updateTable('sites')
      .set({ scheduled_for: due })
      .where('id', '=', site.id)
      .where((eb) => eb.or([eb('scheduled_for', 'is', null), eb('scheduled_for', '<', due)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      const scan = await requestScan(db, config, boss, {
        orgId: site.org_id,
        siteId: site.id,
        source: 'schedule',
        requestedBy: null,
      });
      queued.push(scan.id);
    } catch (error) {
      // Over quota: the denial is a usage event already; the next occurrence tries again.
      if (!(error instanceof AppError)) throw error;
      logger.warn({ scope: 'scan', siteId: site.id, code: error.code }, 'scheduled scan refused');
    }
  }
  return queued;
}
