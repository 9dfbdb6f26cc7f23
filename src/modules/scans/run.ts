import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { classifierOptionsFor } from '../../scanner/browser/classify.ts';
import { BROWSER_VISIT_MS, scan as runScanner, type ScanOptions } from '../../scanner/index.ts';
import type { Artefacts, Report } from '../../scanner/types.ts';
import { recordFindings } from '../findings/record.ts';
import { collectEvidence, storeEvidence, type EvidenceFile } from './evidence.ts';
import { claimBrowserSlot, claimLease, releaseScan } from './leases.ts';
import * as repo from './repo.ts';

export interface RunDeps {
  db: Database;
  config: ResolvedConfig;
  logger: Logger;
  /** Tests only: the scanner. */
  scanner?: (url: string, options: ScanOptions) => Promise<{ report: Report; artefacts?: Artefacts }>;
}

/**
 * The hard limits of a browser stage, signed-in or anonymous: the whole stage within SCAN_TIMEOUT_S,
 * each visit within BROWSER_VISIT_MS of it.
 */
export function browserScanTimeouts(config: Pick<ResolvedConfig, 'scanTimeoutS'>) {
  const totalMs = config.scanTimeoutS * 1000;
  return { visitMs: Math.min(BROWSER_VISIT_MS, totalMs), totalMs };
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
  const { status } = await runScanJobWithReport(deps, scanId);
  return { status };
}

/** runScanJob, also answering the report it stored (the scan job's alerts judge it without reading it back). */
export async function runScanJobWithReport(
  deps: RunDeps,
  scanId: string,
): Promise<{ status: string; report?: Report }> {
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
  const browser = scan.browser && config.browserScans;
  await waitFor(() => claimLease(db, lease), `no scan slot free for ${scan.host}`);
  let evidenceDir: string | undefined;
  try {
    if (browser)
      await waitFor(
        () =>
          claimBrowserSlot(db, { scanId, cap: config.browserScanConcurrency, ttlSeconds: lease.ttlSeconds }),
        'no browser slot free',
      );
    const running = await repo.markRunning(db, scanId);
    if (!running) return { status: 'cancelled' };
    const scanner = deps.scanner ?? runScanner;
    if (browser) evidenceDir = await mkdtemp(path.join(tmpdir(), 'vioscan-evidence-'));
    const totalMs = config.scanTimeoutS * 1000;
    const { report, artefacts } = await scanner(scan.target, {
      allowPrivate: config.allowPrivateTargets,
      timeouts: { totalMs },
      rulesDir: classifierOptionsFor(config).rulesDir,
      // Decided at request time: only a verified site's scan is active (service.ts).
      active: scan.active,
      // Decided at request time from the plan (service.ts); one Chromium per worker, reused.
      // The three visits together stay within the scan's own time limit.
      ...(browser && {
        browser: {
          chromiumPath: config.chromiumPath,
          evidenceDir,
          timeouts: browserScanTimeouts(config),
        },
      }),
    });
    // Only a browser scan has a step left before its result is stored (its evidence files): a
    // passive scan goes from here to 100 within a few statements, so it writes no 90 in between.
    if (browser) await repo.setProgress(db, scanId, 90);
    if (report.error) {
      await repo.markFailed(db, scanId, { code: report.error.code, message: report.error.message });
      log.info({ code: report.error.code }, 'scan failed');
      return { status: 'failed' };
    }
    const evidence = artefacts && browser ? await collectEvidence(artefacts, evidenceDir) : [];
    const stored = await storeResult(db, scanId, report, evidence);
    log.info({ grade: report.grade, stored, evidence: evidence.length }, 'scan finished');
    return { status: stored ? 'succeeded' : 'not stored', ...(stored && { report }) };
  } catch (error) {
    if (error instanceof ScanSlotBusy) throw error;
    await repo.markFailed(db, scanId, { code: 'scan_error', message: 'The scan could not be completed.' });
    log.error({ err: error }, 'scan crashed');
    return { status: 'failed' };
  } finally {
    if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
    await releaseScan(db, scanId);
  }
}

/** Polls `claim` until it succeeds; ScanSlotBusy (pg-boss retries the job) when none comes free in time. */
async function waitFor(claim: () => Promise<boolean>, busy: string): Promise<void> {
  const deadline = Date.now() + LEASE_WAIT_MS;
  while (!(await claim())) {
    if (Date.now() > deadline) throw new ScanSlotBusy(busy);
    await sleep(LEASE_POLL_MS);
  }
}

/** The privacy category's grade, kept beside the overall grade for the site's history. */
function privacyGradeOf(report: Report): { privacy_grade: string | null; privacy_score: number | null } {
  const privacy = report.categories.find((c) => c.category === 'privacy');
  return { privacy_grade: privacy?.grade ?? null, privacy_score: privacy ? Math.round(privacy.score) : null };
}

/** Stores exactly one result: only a scan still `running` turns `succeeded`, with its findings. */
export async function storeResult(
  db: Database,
  scanId: string,
  report: Report,
  evidence: EvidenceFile[] = [],
): Promise<boolean> {
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
        ...privacyGradeOf(report),
      })
      .where('id', '=', scanId)
      .where('status', '=', 'running')
      .returning((eb) => [
        'id',
        'org_id',
        'site_id',
        'finished_at',
        // The organisation's remediation targets, read here rather than in a statement of their own.
        eb
          .selectFrom('orgs')
          .select('orgs.remediation_days')
          .whereRef('orgs.id', '=', 'scans.org_id')
          .as('remediation_days'),
      ])
      .executeTakeFirst();
    if (!scan) return false;
    await storeEvidence(tx, scanId, evidence);
    await recordFindings(tx, scan, report, scan.finished_at ?? new Date(), scan.remediation_days ?? null);
    return true;
  });
}
