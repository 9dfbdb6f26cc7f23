import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { SelfScanRegression, SeriousFinding, SeverityCounts } from '../../db/types.ts';
import { sendAlert, type Delivery } from '../../ops/alerts.ts';
import { classifierOptionsFor } from '../../scanner/browser/classify.ts';
import { BROWSER_VISIT_MS, scan, type ScanOptions } from '../../scanner/index.ts';
import type { Report } from '../../scanner/types.ts';
import { claimBrowserSlot, releaseBrowserSlot } from '../scans/leases.ts';
import { recordSelfScan, type NewSelfScan, type SelfScanRow } from './repo.ts';

export interface SelfScanDeps {
  db: Database;
  config: ResolvedConfig;
  logger: Logger;
  /** Tests only: extra scanner options (the loopback test site's CA). */
  scanOptions?: Partial<ScanOptions>;
}

export interface SelfScanResult {
  row: SelfScanRow;
  regressions: SelfScanRegression[];
  /** Where the regression alert went; absent when nothing regressed. */
  delivery?: Delivery;
}

const MAX_SERIOUS = 100;
const MAX_TITLE = 200;
const MAX_ERROR = 300;

/**
 * The guard's allowance for a self-scan: BASE_URL's own host and port even when private (a
 * development instance on loopback), nothing else beyond ALLOW_PRIVATE_TARGETS — not what the
 * page links to, not a redirect to another host or port (address-policy.ts, PrivateAccess).
 */
export function selfScanAccess(config: Pick<ResolvedConfig, 'allowPrivateTargets' | 'baseUrl'>) {
  return config.allowPrivateTargets || { origin: new URL(config.baseUrl).origin };
}

/** Whether the browser stage can run: BROWSER_SCANS on and CHROMIUM_PATH an executable. */
async function chromiumReady(config: ResolvedConfig): Promise<boolean> {
  if (!config.browserScans) return false;
  return access(config.chromiumPath, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export function summarise(report: Report): Pick<NewSelfScan, 'counts' | 'serious'> {
  const counts: SeverityCounts = {};
  const serious = new Map<string, SeriousFinding>();
  for (const finding of report.findings) {
    counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
    const key = `${finding.checkId}:${finding.outcome}`;
    if ((finding.severity === 'critical' || finding.severity === 'high') && serious.size < MAX_SERIOUS)
      serious.set(key, { key, severity: finding.severity, title: finding.title.slice(0, MAX_TITLE) });
  }
  return { counts, serious: [...serious.values()] };
}

/**
 * One self-scan (issue 17 item 7): the instance scans its own BASE_URL with its own scanner — the
 * passive scan with the active probes (it is our own site), plus the browser stage when BROWSER_SCANS
 * is on, Chromium is present and a browser slot is free — stores the outcome, and alerts staff
 * (ALERT_WEBHOOK_URL, ALERT_EMAIL) when it regressed: a lower grade, a new high or critical
 * finding, or the scan failing.
 */
export async function runSelfScan(deps: SelfScanDeps): Promise<SelfScanResult> {
  const { db, config } = deps;
  const log = deps.logger.child({ scope: 'ops' });
  const target = config.baseUrl;
  const totalMs = config.scanTimeoutS * 1000;
  const slot = randomUUID();
  const browser =
    (await chromiumReady(config)) &&
    (await claimBrowserSlot(db, {
      scanId: slot,
      cap: config.browserScanConcurrency,
      ttlSeconds: config.scanTimeoutS + 30,
    }));
  const startedAt = new Date();
  let outcome: NewSelfScan;
  try {
    const { report } = await scan(target, {
      allowPrivate: selfScanAccess(config),
      timeouts: { totalMs },
      rulesDir: classifierOptionsFor(config).rulesDir,
      active: true,
      ...(browser && {
        browser: {
          chromiumPath: config.chromiumPath,
          timeouts: { visitMs: Math.min(BROWSER_VISIT_MS, totalMs), totalMs },
        },
      }),
      ...deps.scanOptions,
    });
    const failure =
      report.error ?? (report.grade === null ? { code: 'not_graded', message: 'not graded' } : undefined);
    outcome = {
      target,
      status: failure ? 'failed' : 'succeeded',
      grade: report.grade,
      score: report.score === null ? null : Math.round(report.score),
      ...summarise(report),
      browser: report.privacy !== undefined,
      error_code: failure?.code ?? null,
      error_message: failure?.message.slice(0, MAX_ERROR) ?? null,
      started_at: startedAt,
    };
  } catch (error) {
    log.error({ err: error }, 'self-scan crashed');
    outcome = {
      target,
      status: 'failed',
      grade: null,
      score: null,
      counts: {},
      serious: [],
      browser: false,
      error_code: 'scan_error',
      error_message: 'The scan could not be completed.',
      started_at: startedAt,
    };
  } finally {
    if (browser) await releaseBrowserSlot(db, slot);
  }
  const { row, regressions } = await recordSelfScan(db, outcome);
  log.info({ status: row.status, grade: row.grade, regressions: regressions.length }, 'self-scan done');
  if (!regressions.length) return { row, regressions };
  const delivery = await sendAlert(
    config,
    {
      type: 'self-scan.regressed',
      instance: config.baseUrl,
      at: row.finished_at.toISOString(),
      changes: regressions.map((r) => ({
        component: `self-scan ${r.kind}`,
        from: r.from,
        to: r.to,
        detail: r.detail,
      })),
    },
    deps.logger,
  );
  return { row, regressions, delivery };
}
