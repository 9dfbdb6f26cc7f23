import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { analyze } from '../../scanner/analyze.ts';
import type { BrowserOptions } from '../../scanner/browser/index.ts';
import { classifierOptionsFor } from '../../scanner/browser/classify.ts';
import { runBrowserStage } from '../../scanner/browser-stage.ts';
import type { Artefacts, GatherError } from '../../scanner/types.ts';
import { browserScanTimeouts } from '../scans/run.ts';
import { claimNext, failBrowserScan, finishBrowserScan, releaseSlot } from './browser-queue.ts';

export interface PublicBrowserDeps {
  db: Database;
  config: ResolvedConfig;
  logger: Logger;
  /** Tests only: the fixture sites' resolver and CA. */
  browser?: Pick<BrowserOptions, 'resolver' | 'ca'>;
}

/** Beyond the stage's own limits, the time it gets to close its visits before it is given up. */
const GRACE_MS = 5_000;

/**
 * Runs the browser stage of the oldest waiting anonymous scan, if a slot is free: the three visits
 * under the same limits and the same guarded proxy as a signed-in browser scan, then the report
 * judged again with them. Whatever goes wrong, the passive report stays and the reason is stored.
 */
export async function runNextPublicBrowserScan(deps: PublicBrowserDeps): Promise<'ran' | 'busy' | 'empty'> {
  const { db, config } = deps;
  const timeouts = browserScanTimeouts(config);
  const claimed = await claimNext(db, {
    cap: config.publicBrowserScanConcurrency,
    ttlSeconds: config.scanTimeoutS + 30,
  });
  if (typeof claimed === 'string') return claimed;
  const log = deps.logger.child({ scope: 'scan', publicScanId: claimed.id });
  let timer: NodeJS.Timeout | undefined;
  try {
    const given = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeouts.totalMs + GRACE_MS);
    });
    const stage = await Promise.race([
      runBrowserStage(claimed.target, {
        allowPrivate: config.allowPrivateTargets,
        browser: {
          chromiumPath: config.chromiumPath,
          rules: classifierOptionsFor(config),
          timeouts,
          signal: AbortSignal.timeout(timeouts.totalMs),
          ...deps.browser,
        },
      }),
      given,
    ]);
    if (stage === 'timeout') return await failed(deps, claimed.id, TIMEOUT, log);
    if (stage.artefact.error) return await failed(deps, claimed.id, stage.artefact.error, log);
    const artefacts = claimed.artefacts as Artefacts;
    artefacts.browser = stage.artefact;
    artefacts.timings = { ...artefacts.timings, browser: stage.ms };
    const report = analyze(artefacts, {
      startedAt: claimed.report.startedAt,
      finishedAt: new Date().toISOString(),
    });
    const screenshots = Object.fromEntries(
      stage.artefact.visits.flatMap((v) => (v.screenshot ? [[v.kind, v.screenshot.base64]] : [])),
    );
    await finishBrowserScan(db, claimed.id, report, screenshots);
    log.info({ ms: stage.ms }, 'public browser stage finished');
    return 'ran';
  } catch (error) {
    log.error({ err: error }, 'public browser stage crashed');
    return await failed(deps, claimed.id, CRASHED, log);
  } finally {
    clearTimeout(timer);
    await releaseSlot(db, claimed.id);
  }
}

const TIMEOUT = { code: 'browser_timeout', message: 'The browser visits did not finish in time.' };
const CRASHED = { code: 'browser_failed', message: 'The browser visits could not be completed.' };

async function failed(deps: PublicBrowserDeps, id: string, error: GatherError, log: Logger): Promise<'ran'> {
  await failBrowserScan(deps.db, id, { code: error.code, message: error.message.slice(0, 300) });
  log.info({ code: error.code }, 'public browser stage failed');
  return 'ran';
}
