import type PgBoss from 'pg-boss';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { ScanSource } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { announceJob } from '../../jobs/wake.ts';
import { getSite } from '../sites/repo.ts';
import { browserAllowed, enforceQuota, recordUsage } from '../usage/quota.ts';
import type { ScanRow } from './present.ts';
import * as repo from './repo.ts';

export const SCAN_QUEUE = 'scan';

/** pg-boss options of one scan job: expiry follows SCAN_TIMEOUT_S so a crashed worker's scan is retried. */
export function scanJobOptions(config: ResolvedConfig): PgBoss.SendOptions {
  return { expireInSeconds: config.scanTimeoutS + 60, retryLimit: 5, retryDelay: 5, retryBackoff: true };
}

/**
 * Whether the scan opens the site in a browser: by default while the plan's browser scans last
 * (scheduled ones only on plans whose schedules include them); asked for beyond them, refused with
 * `quota_exceeded`; never when the instance runs without browser scans (BROWSER_SCANS=false).
 */
async function wantsBrowser(
  db: Database,
  config: ResolvedConfig,
  request: { orgId: string; source: ScanSource; browser?: boolean | undefined },
): Promise<boolean> {
  if (request.browser === false) return false;
  if (!config.browserScans) {
    if (request.browser === true)
      throw new AppError('unavailable', 'Browser scans are turned off on this instance (BROWSER_SCANS).');
    return false;
  }
  if (request.browser === true) {
    await enforceQuota(db, request.orgId, 'browserScansPerMonth', 'scan.requested');
    return true;
  }
  return browserAllowed(db, request.orgId, request.source === 'schedule');
}

/**
 * Checks the quota, records the usage event, stores the scan `queued` and enqueues its job.
 * Active checks (probes for exposed files, listings, TRACE) run only on a verified site: there by
 * default, refused with `site_not_verified` when asked for on any other; `active: false` opts out.
 */
export async function requestScan(
  db: Database,
  config: ResolvedConfig,
  boss: PgBoss | undefined,
  request: {
    orgId: string;
    siteId: string;
    source: ScanSource;
    requestedBy: string | null;
    active?: boolean | undefined;
    browser?: boolean | undefined;
  },
): Promise<ScanRow> {
  if (!boss) throw new AppError('unavailable', 'The scan queue is not running in this process.');
  const site = await getSite(db, request.orgId, request.siteId);
  const verified = site.verified_at !== null;
  if (request.active === true && !verified)
    throw new AppError(
      'site_not_verified',
      'Active checks run only on a verified site: verify ownership first, or scan without active.',
    );
  const active = request.active ?? verified;
  await enforceQuota(db, request.orgId, 'scansPerMonth', 'scan.requested');
  const browser = await wantsBrowser(db, config, request);
  const scan = await repo.insertScan(db, {
    orgId: request.orgId,
    siteId: request.siteId,
    source: request.source,
    requestedBy: request.requestedBy,
    target: site.url,
    host: site.host,
    active,
    browser,
  });
  await recordUsage(db, {
    orgId: request.orgId,
    kind: 'scan.requested',
    decision: 'allowed',
    subjectId: scan.id,
    details: { source: request.source, siteId: site.id, active, browser },
  });
  const jobId = await boss.send(SCAN_QUEUE, { scanId: scan.id }, scanJobOptions(config));
  await repo.setJobId(db, scan.id, jobId);
  await announceJob(db, SCAN_QUEUE);
  return { ...scan, job_id: jobId };
}

/** queued or running → cancelled; a queued job is withdrawn, a running one finishes without storing. */
export async function cancelScan(db: Database, boss: PgBoss | undefined, scan: ScanRow): Promise<ScanRow> {
  const cancelled = await repo.cancelScan(db, scan.id);
  if (!cancelled) throw new AppError('scan_finished');
  if (boss && scan.job_id) await boss.cancel(SCAN_QUEUE, scan.job_id).catch(() => undefined);
  return cancelled;
}
