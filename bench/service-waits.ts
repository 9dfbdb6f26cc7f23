/**
 * Where a consumer slot's time went in one run of bench/service.ts, from the timestamps the
 * service keeps anyway: pg-boss's job (created, started = fetched, completed) and the scan's
 * (started = lease taken, finished = result stored). Seconds per scan, averaged; the start is how
 * long the first scan waited to be fetched after the first request, the tail how long the last
 * scans ran after the others (a finite run's end, not a wait).
 */
import { sql } from 'kysely';
import type { Database } from '../src/db/kysely.ts';

export interface Waits {
  /** First job fetched, after the first job created. */
  firstFetchS: number;
  /** Job fetched → lease taken (the scan read, the lease claimed and waited for, marked running). */
  toLeaseS: number;
  /** Lease taken → result stored. */
  runningS: number;
  /** Result stored → job completed (lease released, alerts, pg-boss completion). */
  afterS: number;
  /** Per scan, slot time outside any job: the fetches between jobs, the ramp at the start, the tail. */
  idleS: number;
  /** Scans that waited more than a lease poll (250 ms) between fetch and lease. */
  leaseWaits: number;
}

export async function measureWaits(db: Database, scanIds: string[], slots: number): Promise<Waits> {
  const { rows } = await sql<{
    created: number;
    fetched: number;
    completed: number;
    leased: number;
    stored: number;
  }>`
    select extract(epoch from j.created_on)::float8 as created, extract(epoch from j.started_on)::float8 as fetched,
      extract(epoch from j.completed_on)::float8 as completed, extract(epoch from s.started_at)::float8 as leased,
      extract(epoch from s.finished_at)::float8 as stored
    from ${sql.id(db.jobSchema)}.job j join scans s on s.id = (j.data->>'scanId')::uuid
    where s.id = any(${scanIds}::uuid[]) and j.completed_on is not null`.execute(db.kysely);
  const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  const first = Math.min(...rows.map((r) => r.created));
  const span = Math.max(...rows.map((r) => r.completed)) - first;
  return {
    firstFetchS: Math.min(...rows.map((r) => r.fetched)) - first,
    toLeaseS: mean((r) => r.leased - r.fetched),
    runningS: mean((r) => r.stored - r.leased),
    afterS: mean((r) => r.completed - r.stored),
    idleS: (slots * span) / rows.length - mean((r) => r.completed - r.fetched),
    leaseWaits: rows.filter((r) => r.leased - r.fetched > 0.25).length,
  };
}

const ms = (s: number) => `${Math.round(s * 1000)} ms`;

export function describeWaits(w: Waits): string {
  return (
    `per scan: fetched → leased ${ms(w.toLeaseS)} (${w.leaseWaits} waited for a lease), running ` +
    `${ms(w.runningS)}, stored → job completed ${ms(w.afterS)}, slot idle ${ms(w.idleS)}; ` +
    `first scan fetched ${ms(w.firstFetchS)} after the first request`
  );
}
