import { sql, type Selectable } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { SelfScanRegression, SelfScanTable, SeriousFinding, SeverityCounts } from '../../db/types.ts';
import { regressionsOf } from './regression.ts';

export type SelfScanRow = Selectable<SelfScanTable>;

export interface NewSelfScan {
  target: string;
  status: 'succeeded' | 'failed';
  grade: string | null;
  score: number | null;
  counts: SeverityCounts;
  serious: SeriousFinding[];
  browser: boolean;
  error_code: string | null;
  error_message: string | null;
  started_at: Date;
}

/**
 * Stores one self-scan with what got worse since the previous ones (regression.ts). An advisory
 * lock serialises concurrent runs (the schedule and `vioscan self-scan` at once), so each
 * regression is found, and alerted, exactly once.
 */
export async function recordSelfScan(
  db: Database,
  scan: NewSelfScan,
): Promise<{ row: SelfScanRow; regressions: SelfScanRegression[] }> {
  return db.kysely.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('vioscan:self-scan'))`.execute(tx);
    const latest = (status?: 'succeeded') =>
      tx
        .selectFrom('self_scans')
        .select(['status', 'grade', 'serious', 'error_message'])
        .$if(status !== undefined, (q) => q.where('status', '=', status!))
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    const regressions = regressionsOf(scan, await latest(), await latest('succeeded'));
    const row = await tx
      .insertInto('self_scans')
      .values({
        ...scan,
        counts: JSON.stringify(scan.counts),
        serious: JSON.stringify(scan.serious),
        regressions: JSON.stringify(regressions),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, regressions };
  });
}

/** The newest self-scan, for /security and the CLI. */
export async function latestSelfScan(db: Database): Promise<SelfScanRow | undefined> {
  return db.kysely
    .selectFrom('self_scans')
    .selectAll()
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
