import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { ProbeStatus } from '../../db/types.ts';

/** Probe history kept for the 90-day uptime bars, plus a margin for the day boundary. */
export const PROBE_HISTORY_DAYS = 91;

export interface ProbeInput {
  component: string;
  status: ProbeStatus;
  detail: string;
}

export interface StateChange {
  component: string;
  from: ProbeStatus | null;
  to: ProbeStatus;
  detail: string;
}

/**
 * Stores one monitor run and returns the components whose state changed since the previous run.
 * An advisory lock serialises concurrent runs (two workers, a manual run), so each change is
 * reported exactly once: that is the alert de-duplication.
 */
export async function recordProbes(db: Database, probes: ProbeInput[]): Promise<StateChange[]> {
  return db.kysely.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('vioscan:monitor'))`.execute(tx);
    const previous = await sql<{ component: string; status: ProbeStatus }>`
      select distinct on (component) component, status from health_probes
      where checked_at > now() - make_interval(days => ${PROBE_HISTORY_DAYS})
      order by component, checked_at desc, id desc`.execute(tx);
    const last = new Map(previous.rows.map((r) => [r.component, r.status]));
    if (probes.length) await tx.insertInto('health_probes').values(probes).execute();
    await tx
      .deleteFrom('health_probes')
      .where('checked_at', '<', sql<Date>`now() - make_interval(days => ${PROBE_HISTORY_DAYS})`)
      .execute();
    return probes
      .filter((p) => (last.get(p.component) ?? (p.status === 'ok' ? 'ok' : null)) !== p.status)
      .map((p) => ({
        component: p.component,
        from: last.get(p.component) ?? null,
        to: p.status,
        detail: p.detail,
      }));
  });
}

export interface ComponentState {
  component: string;
  status: ProbeStatus;
  checkedAt: Date;
}

/** The newest probe of every component seen in the history window. */
export async function currentStates(db: Database): Promise<ComponentState[]> {
  const { rows } = await sql<{ component: string; status: ProbeStatus; checked_at: Date }>`
    select distinct on (component) component, status, checked_at from health_probes
    where checked_at > now() - make_interval(days => ${PROBE_HISTORY_DAYS})
    order by component, checked_at desc, id desc`.execute(db.kysely);
  return rows.map((r) => ({ component: r.component, status: r.status, checkedAt: new Date(r.checked_at) }));
}

export interface UptimeDay {
  component: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  ok: number;
  degraded: number;
  down: number;
}

/** Probe counts per component per UTC day for the last `days` days (today included). */
export async function uptimeDays(db: Database, days: number): Promise<UptimeDay[]> {
  const { rows } = await sql<{ component: string; day: string; ok: number; degraded: number; down: number }>`
    select component, to_char((checked_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
      (count(*) filter (where status = 'ok'))::int as ok,
      (count(*) filter (where status = 'degraded'))::int as degraded,
      (count(*) filter (where status = 'down'))::int as down
    from health_probes
    where checked_at >= ((now() at time zone 'UTC')::date - ${days - 1}::int) at time zone 'UTC'
    group by 1, 2 order by 1, 2`.execute(db.kysely);
  return rows.map((r) => ({ ...r, ok: Number(r.ok), degraded: Number(r.degraded), down: Number(r.down) }));
}
