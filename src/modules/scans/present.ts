import type { Selectable } from 'kysely';
import type { ScansTable } from '../../db/types.ts';

export type ScanRow = Selectable<ScansTable>;
export interface ScanDiff {
  new: number;
  fixed: number;
  regressed: number;
  persisting: number;
}

/** Scan row → API JSON (the report itself has its own route). */
export function presentScan(scan: ScanRow, diff?: ScanDiff) {
  return {
    id: scan.id,
    siteId: scan.site_id,
    target: scan.target,
    status: scan.status,
    progress: scan.progress,
    source: scan.source,
    active: scan.active,
    createdAt: scan.created_at.toISOString(),
    startedAt: scan.started_at?.toISOString() ?? null,
    finishedAt: scan.finished_at?.toISOString() ?? null,
    grade: scan.grade,
    score: scan.score,
    error: scan.error_code ? { code: scan.error_code, message: scan.error_message ?? '' } : null,
    ...(diff ? { diff } : {}),
  };
}
