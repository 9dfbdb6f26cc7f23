import type { FastifyBaseLogger } from 'fastify';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { SeverityCounts } from '../../db/types.ts';
import { SEVERITY_ORDER } from '../../scanner/severity.ts';
import { latestSelfScan } from '../self-scan/repo.ts';
import { fact } from './sections.ts';
import type { Fact } from './schema.ts';

const LABEL = 'Scanning';

function countsText(counts: SeverityCounts): string {
  const parts = SEVERITY_ORDER.filter((s) => s !== 'info').map((s) => `${counts[s] ?? 0} ${s}`);
  return `${parts.join(', ')} findings`;
}

/**
 * The self-scan as /security states it (src/modules/self-scan): the latest grade and its date,
 * "not yet scanned" or "scan failed: reason" — never a grade the instance has not earned.
 */
export async function selfScanFact(
  config: Pick<ResolvedConfig, 'selfScanCron' | 'baseUrl'>,
  db: Database,
  log: FastifyBaseLogger,
): Promise<Fact> {
  const schedule = config.selfScanCron
    ? `VIOscan scans its own deployment (${config.baseUrl}) with the same checks it offers you on "${config.selfScanCron}" (cron, UTC) and alerts staff when the result gets worse.`
    : 'Scheduled self-scans are off on this instance (SELF_SCAN_CRON).';
  let latest;
  try {
    latest = await latestSelfScan(db);
  } catch (error) {
    log.warn({ err: error }, 'security page: self-scan state unavailable');
    return fact(LABEL, `${schedule} The latest result could not be read right now.`, 'warning');
  }
  if (!latest) return fact(LABEL, `${schedule} Not yet scanned.`, config.selfScanCron ? 'warning' : 'off');
  const at = latest.finished_at.toISOString();
  if (latest.status === 'failed')
    return fact(
      LABEL,
      `${schedule} Latest self-scan (${at}) failed: ${latest.error_message ?? 'unknown reason'}.`,
      'warning',
    );
  const stage = latest.browser ? 'passive and browser scan' : 'passive scan';
  return fact(
    LABEL,
    `${schedule} Latest self-scan (${at}, ${stage}): grade ${latest.grade} (score ${latest.score}), ${countsText(latest.counts)}.`,
    config.selfScanCron ? 'live' : 'off',
  );
}
