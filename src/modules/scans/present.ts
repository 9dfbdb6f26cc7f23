import type { Selectable } from 'kysely';
import type { ScansTable } from '../../db/types.ts';
import { explainScanError } from './error-text.ts';

export type ScanRow = Selectable<ScansTable>;
export interface ScanDiff {
  new: number;
  fixed: number;
  regressed: number;
  persisting: number;
}

/**
 * Scan row → API JSON (the report itself has its own route). `requestedBy`: the email of the member
 * (or token owner) who asked for it, when known.
 */
export function presentScan(
  scan: ScanRow,
  diff?: ScanDiff,
  requestedBy: string | null = null,
  evidence?: string[],
) {
  return {
    id: scan.id,
    siteId: scan.site_id,
    target: scan.target,
    status: scan.status,
    progress: scan.progress,
    source: scan.source,
    requestedBy,
    active: scan.active,
    browser: scan.browser,
    createdAt: scan.created_at.toISOString(),
    startedAt: scan.started_at?.toISOString() ?? null,
    finishedAt: scan.finished_at?.toISOString() ?? null,
    grade: scan.grade,
    score: scan.score,
    error: scan.error_code
      ? explainScanError({ code: scan.error_code, message: scan.error_message ?? '' })
      : null,
    ...(diff ? { diff } : {}),
    ...(evidence ? { evidence } : {}),
  };
}
