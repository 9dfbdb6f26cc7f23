import type PgBoss from 'pg-boss';
import type { ResolvedConfig } from '../config/load.ts';
import type { PublicBrowserDeps } from '../modules/public-scan/browser-stage.ts';
import type { JobDefinition } from './types.ts';

export const PUBLIC_BROWSER_SCAN_QUEUE = 'public-browser-scan';

/** Expiry follows SCAN_TIMEOUT_S plus the wait for a slot, as a signed-in scan's job does. */
export function publicBrowserJobOptions(config: ResolvedConfig): PgBoss.SendOptions {
  return { expireInSeconds: config.scanTimeoutS + 90, retryLimit: 20, retryDelay: 2 };
}

const SLOT_WAIT_MS = 30_000;
const SLOT_POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One job per anonymous scan that asked for the browser stage, but a job runs the *oldest* waiting
 * one (src/modules/public-scan/browser-queue.ts), so the queue stays first come, first served however
 * many workers take jobs. PUBLIC_BROWSER_SCAN_CONCURRENCY consumers per process; slots in the
 * database hold the instance-wide cap. No slot within 30 s: pg-boss retries the job.
 * `browser` is for tests (the fixture sites' resolver and CA).
 */
export function publicBrowserScanJob(
  browser?: PublicBrowserDeps['browser'],
): JobDefinition<{ publicScanId: string }> {
  return {
    name: PUBLIC_BROWSER_SCAN_QUEUE,
    queueOptions: { retryLimit: 20, retryDelay: 2 },
    concurrency: (config) => config.publicBrowserScanConcurrency,
    workOptions: { pollingIntervalSeconds: 1 },
    async handle({ db, config, logger }) {
      // The browser stage and the scanner are loaded by the first job, not by the web routes that
      // import this file for the queue's name and options (issue 16: time to ready).
      const [{ runNextPublicBrowserScan }, { ScanSlotBusy }] = await Promise.all([
        import('../modules/public-scan/browser-stage.ts'),
        import('../modules/scans/run.ts'),
      ]);
      const deadline = Date.now() + SLOT_WAIT_MS;
      for (;;) {
        const outcome = await runNextPublicBrowserScan({ db, config, logger, ...(browser && { browser }) });
        if (outcome !== 'busy') return { outcome };
        if (Date.now() > deadline) throw new ScanSlotBusy('no public browser slot free');
        await sleep(SLOT_POLL_MS);
      }
    },
  };
}

export const publicBrowserScan = publicBrowserScanJob();
