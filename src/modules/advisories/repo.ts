import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { dueDate } from '../findings/due.ts';
import type { AdvisoryCheck, DependencyAdvisory } from './check.ts';
import type { AdvisorySeverity } from './severity.ts';

/** Checks are kept this long (the page shows the latest); resolved advisories as long as scans. */
export const DEPENDENCY_CHECK_KEEP_DAYS = 90;
export const RESOLVED_ADVISORY_KEEP_DAYS = 400;

export interface OpenedAdvisory extends DependencyAdvisory {
  dueAt: Date;
}

export interface RecordedCheck {
  /** Advisories not open before this check: each raises the staff alert once. */
  opened: OpenedAdvisory[];
  /** Open advisories this check no longer found (the package was updated or the record withdrawn). */
  resolved: number;
  /** Whether the check before this one reached the source (null: this is the first). */
  previousOk: boolean | null;
}

const key = (a: { advisoryId?: string; advisory_id?: string; package: string; version: string }) =>
  `${a.advisoryId ?? a.advisory_id}\u0000${a.package}\u0000${a.version}`;

/**
 * Stores one check. A successful one opens the advisories it found (deadline = first seen + the
 * remediation target of their severity, src/modules/findings/due.ts), refreshes those still
 * there and resolves those gone; a failed one changes no advisory, so the open ones stay open.
 * The advisory lock makes two concurrent checks report each new advisory once.
 */
export async function recordAdvisoryCheck(db: Database, check: AdvisoryCheck): Promise<RecordedCheck> {
  return db.kysely.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('vioscan:dependency-audit'))`.execute(tx);
    const previous = await tx
      .selectFrom('dependency_checks')
      .select('ok')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    await tx
      .insertInto('dependency_checks')
      .values({
        ok: check.ok,
        source: check.source,
        packages: check.packages,
        advisories: check.ok ? check.advisories.length : 0,
        error: check.ok ? null : check.error,
      })
      .execute();
    await tx
      .deleteFrom('dependency_checks')
      .where('checked_at', '<', sql<Date>`now() - make_interval(days => ${DEPENDENCY_CHECK_KEEP_DAYS})`)
      .execute();
    const result: RecordedCheck = { opened: [], resolved: 0, previousOk: previous?.ok ?? null };
    if (!check.ok) return result;

    const known = new Map(
      (await tx.selectFrom('dependency_advisories').selectAll().execute()).map((row) => [key(row), row]),
    );
    const now = new Date();
    const found = new Set<string>();
    for (const advisory of check.advisories) {
      const k = key(advisory);
      if (found.has(k)) continue;
      found.add(k);
      const row = known.get(k);
      const details = {
        severity: advisory.severity,
        severity_source: advisory.severitySource,
        score: advisory.score,
        summary: advisory.summary,
        aliases: JSON.stringify(advisory.aliases),
        fixed_in: JSON.stringify(advisory.fixedIn),
        last_seen_at: now,
      };
      if (row && row.resolved_at === null) {
        // Still open: a changed rating moves the deadline, counted from when it was first seen.
        await tx
          .updateTable('dependency_advisories')
          .set({ ...details, due_at: dueDate(new Date(row.first_seen_at), advisory.severity)! })
          .where('id', '=', row.id)
          .execute();
        continue;
      }
      const dueAt = dueDate(now, advisory.severity)!;
      if (row) {
        // Back after it was resolved (a downgrade, a revert): a new exposure with a new deadline.
        await tx
          .updateTable('dependency_advisories')
          .set({ ...details, first_seen_at: now, due_at: dueAt, resolved_at: null })
          .where('id', '=', row.id)
          .execute();
      } else {
        await tx
          .insertInto('dependency_advisories')
          .values({
            ...details,
            advisory_id: advisory.advisoryId,
            package: advisory.package,
            version: advisory.version,
            first_seen_at: now,
            due_at: dueAt,
          })
          .execute();
      }
      result.opened.push({ ...advisory, dueAt });
    }
    const gone = [...known.values()].filter((row) => row.resolved_at === null && !found.has(key(row)));
    if (gone.length)
      await tx
        .updateTable('dependency_advisories')
        .set({ resolved_at: now })
        .where(
          'id',
          'in',
          gone.map((row) => row.id),
        )
        .execute();
    result.resolved = gone.length;
    await tx
      .deleteFrom('dependency_advisories')
      .where('resolved_at', '<', sql<Date>`now() - make_interval(days => ${RESOLVED_ADVISORY_KEEP_DAYS})`)
      .execute();
    return result;
  });
}

export interface AdvisoryStatus {
  lastCheck: { at: Date; ok: boolean; source: string; packages: number } | null;
  lastSuccessAt: Date | null;
  open: Record<AdvisorySeverity, number>;
  overdue: number;
}

/** What /security shows: the latest check, the latest that reached the source, open counts. */
export async function advisoryStatus(db: Database, now = new Date()): Promise<AdvisoryStatus> {
  const [last, success, open] = await Promise.all([
    db.kysely
      .selectFrom('dependency_checks')
      .select(['checked_at', 'ok', 'source', 'packages'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db.kysely
      .selectFrom('dependency_checks')
      .select('checked_at')
      .where('ok', '=', true)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db.kysely
      .selectFrom('dependency_advisories')
      .select(['severity', 'due_at'])
      .where('resolved_at', 'is', null)
      .execute(),
  ]);
  const counts: Record<AdvisorySeverity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const row of open) counts[row.severity]++;
  return {
    lastCheck: last
      ? { at: new Date(last.checked_at), ok: last.ok, source: last.source, packages: last.packages }
      : null,
    lastSuccessAt: success ? new Date(success.checked_at) : null,
    open: counts,
    overdue: open.filter((row) => new Date(row.due_at).getTime() < now.getTime()).length,
  };
}
