import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { scan as runScanner, type ScanOptions } from '../../scanner/index.ts';
import { classifierOptionsFor } from '../../scanner/browser/classify.ts';
import type { Report } from '../../scanner/types.ts';
import { recordFindings } from '../findings/record.ts';
import { claimLease, releaseLease } from './leases.ts';
import * as repo from './repo.ts';

export interface RunDeps {
  db: Database;
  config: ResolvedConfig;
  logger: Logger;
  /** Tests only: the scanner. */
  scanner?: (url: string, options: ScanOptions) => Promise<{ report: Report }>;
}

const LEASE_WAIT_MS = 30_000;
const LEASE_POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown when no lease came free in time; pg-boss retries the job later. */
export class ScanSlotBusy extends Error {}

/**
 * One scan job: lease → running → scanner → store the report and findings in one transaction.
 * Idempotent by scan id: a retried job (worker crash, expiry) finds the scan finished and stops,
 * or runs it again; only the first attempt to finish stores a result (the status guard).
 */
export async function runScanJob(deps: RunDeps, scanId: string): Promise<{ status: string }> {
  const { db, config } = deps;
  const log = deps.logger.child({ scope: 'scan', scanId });
  const scan = await repo.scanById(db, scanId);
  if (!scan || !['queued', 'running'].includes(scan.status)) return { status: scan?.status ?? 'missing' };

  const lease = {
    scanId,
    host: scan.host,
    cap: config.scanConcurrency,
    ttlSeconds: config.scanTimeoutS + 30,
  };
  const deadline = Date.now() + LEASE_WAIT_MS;
  while (!(await claimLease(db, lease))) {
    if (Date.now() > deadline) throw new ScanSlotBusy(`no scan slot free for ${scan.host}`);
    await sleep(LEASE_POLL_MS);
  }
  try {
    const running = await repo.markRunning(db, scanId);
    if (!running) return { status: 'cancelled' };
    const scanner = deps.scanner ?? runScanner;
    const { report } = await scanner(scan.target, {
      allowPrivate: config.allowPrivateTargets,
      timeouts: { totalMs: config.scanTimeoutS * 1000 },
      rulesDir: classifierOptionsFor(config).rulesDir,
      // Decided at request time: only a verified site's scan is active (service.ts).
      active: scan.active,
    });
    await repo.setProgress(db, scanId, 90);
    if (report.error) {
      await repo.markFailed(db, scanId, { code: report.error.code, message: report.error.message });
      log.info({ code: report.error.code }, 'scan failed');
      return { status: 'failed' };
    }
    const stored = await storeResult(db, scanId, report);
    log.info({ grade: report.grade, stored }, 'scan finished');
    return { status: stored ? 'succeeded' : 'not stored' };
  } catch (error) {
    if (error instanceof ScanSlotBusy) throw error;
    await repo.markFailed(db, scanId, { code: 'scan_error', message: 'The scan could not be completed.' });
    log.error({ err: error }, 'scan crashed');
    return { status: 'failed' };
  } finally {
    await releaseLease(db, scanId);
  }
}

/** Stores exactly one result: only a scan still `running` turns `succeeded`, with its findings. */
export async function storeResult(db: Database, scanId: string, report: Report): Promise<boolean> {
  return db.kysely.transaction().execute(async (tx) => {
    const scan = await tx
      .updateTable('scans')
      .set({
        status: 'succeeded',
        progress: 100,
        finished_at: sql<Date>`now()`,
        grade: report.grade,
        score: report.score === null ? null : Math.round(report.score),
        report: JSON.stringify(report),
      })
      .where('id', '=', scanId)
      .where('status', '=', 'running')
      .returning(['id', 'org_id', 'site_id', 'finished_at'])
      .executeTakeFirst();
    if (!scan) return false;
    await recordFindings(tx, scan, report, scan.finished_at ?? new Date());
    return true;
  });
}
