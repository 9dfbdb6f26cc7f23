import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';
import { backupHealth } from './backup/health.ts';
import { RequestDurationHistogram } from './request-durations.ts';

/**
 * The Prometheus metrics of this process (prom-client). Modules observe typed events through the
 * exported instruments (`metrics.scanDuration.observe(...)`, `metrics.authFailures.inc(...)`);
 * nothing here parses logs (STYLE §20). Database-wide gauges (queues, backups, pool) are read
 * when /metrics is scraped, so every web process reports the same truth for them.
 */
export const registry = new Registry();
// Each scrape is answered by one web process (node:cluster); the pid label keeps their series
// apart so counters from different processes are not mistaken for resets (docs/operations.md).
registry.setDefaultLabels({ pid: String(process.pid) });
// process_* and nodejs_* metrics: memory, CPU, handles, event-loop lag (nodejs_eventloop_lag_*).
collectDefaultMetrics({ register: registry, prefix: '' });

const registers = [registry];

export const metrics = {
  httpRequestDuration: new RequestDurationHistogram(
    'vioscan_http_request_duration_seconds',
    'HTTP request duration by method, route pattern and status code',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  ),
  /** Observed by whoever runs a scan (worker, public scan API), in seconds. */
  scanDuration: new Histogram({
    name: 'vioscan_scan_duration_seconds',
    help: 'Scan duration from start to report, by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers,
  }),
  /** One per failed security event (src/modules/security-events/service.ts). */
  authFailures: new Counter({
    name: 'vioscan_auth_failures_total',
    help: 'Authentication and authorisation failures by security event type',
    labelNames: ['type'] as const,
    registers,
  }),
  dbPoolConnections: new Gauge({
    name: 'vioscan_db_pool_connections',
    help: 'PostgreSQL pool connections of this process by state (total, idle, waiting clients)',
    labelNames: ['state'] as const,
    registers,
  }),
  queueJobs: new Gauge({
    name: 'vioscan_queue_jobs',
    help: 'Jobs per queue and state (created, retry, active)',
    labelNames: ['queue', 'state'] as const,
    registers,
  }),
  queueOldestWaitingSeconds: new Gauge({
    name: 'vioscan_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job that is due but not started, per queue (0 when none)',
    labelNames: ['queue'] as const,
    registers,
  }),
  queueWaitSeconds: new Gauge({
    name: 'vioscan_queue_wait_seconds',
    help: 'Average wait between due time and start for jobs started in the last 5 minutes, per queue',
    labelNames: ['queue'] as const,
    registers,
  }),
  backupAgeSeconds: new Gauge({
    name: 'vioscan_backup_age_seconds',
    help: 'Age of the newest backup (-1 when there is none)',
    registers,
  }),
  backupRpoTargetSeconds: new Gauge({
    name: 'vioscan_backup_rpo_target_seconds',
    help: 'Recovery point objective: BACKUP_RPO_HOURS in seconds',
    registers,
  }),
  backupLastDrillOk: new Gauge({
    name: 'vioscan_backup_last_drill_ok',
    help: '1 when the last restore drill passed, 0 when it failed, -1 when none ran',
    registers,
  }),
  backupLastDrillRtoSeconds: new Gauge({
    name: 'vioscan_backup_last_drill_rto_seconds',
    help: 'Measured recovery time of the last restore drill',
    registers,
  }),
};

export interface QueueStats {
  queue: string;
  /** Jobs per state among created, retry and active. */
  states: Record<string, number>;
  oldestWaitingSeconds: number;
  averageWaitSeconds: number;
}

/** Depth and latency of every pg-boss queue, read from the job schema (all processes' jobs). */
export async function queueStats(db: Database): Promise<QueueStats[]> {
  const schema = `"${db.jobSchema}"`;
  const { rows } = await db.executor.executeSql(
    `select q.name as queue,
       (select coalesce(json_object_agg(s.state, s.n), '{}'::json) from (
          select state::text as state, count(*)::int as n from ${schema}.job j
          where j.name = q.name and j.state in ('created', 'retry', 'active') group by state) s) as states,
       coalesce((select extract(epoch from now() - min(j.start_after)) from ${schema}.job j
          where j.name = q.name and j.state in ('created', 'retry') and j.start_after <= now()), 0)::float8 as oldest,
       coalesce((select avg(extract(epoch from j.started_on - j.start_after)) from ${schema}.job j
          where j.name = q.name and j.started_on > now() - interval '5 minutes'), 0)::float8 as wait
     from ${schema}.queue q order by q.name`,
  );
  return rows.map((r) => ({
    queue: String(r.queue),
    states: (typeof r.states === 'string' ? JSON.parse(r.states) : r.states) as Record<string, number>,
    oldestWaitingSeconds: Math.max(0, Number(r.oldest)),
    averageWaitSeconds: Math.max(0, Number(r.wait)),
  }));
}

/** Reads the database-wide gauges; called on each scrape. A failed part keeps its previous values and is rethrown. */
export async function refreshDatabaseMetrics(
  db: Database,
  config: Pick<ResolvedConfig, 'backupRpoHours'>,
): Promise<void> {
  const pool = db.poolStats?.();
  if (pool) {
    metrics.dbPoolConnections.set({ state: 'total' }, pool.total);
    metrics.dbPoolConnections.set({ state: 'idle' }, pool.idle);
    metrics.dbPoolConnections.set({ state: 'waiting' }, pool.waiting);
  }
  // Each part on its own: a missing job schema (a web process before any worker ran) must not
  // hide the backup gauges, and the other way round.
  const [queues, backups] = await Promise.allSettled([queueStats(db), backupHealth(db, config)]);
  if (queues.status === 'fulfilled') {
    metrics.queueJobs.reset();
    for (const q of queues.value) {
      for (const state of ['created', 'retry', 'active'])
        metrics.queueJobs.set({ queue: q.queue, state }, q.states[state] ?? 0);
      metrics.queueOldestWaitingSeconds.set({ queue: q.queue }, q.oldestWaitingSeconds);
      metrics.queueWaitSeconds.set({ queue: q.queue }, q.averageWaitSeconds);
    }
  }
  if (backups.status === 'fulfilled') {
    const b = backups.value;
    metrics.backupAgeSeconds.set(b.ageSeconds ?? -1);
    metrics.backupRpoTargetSeconds.set(b.rpoTargetSeconds);
    metrics.backupLastDrillOk.set(b.lastDrill ? (b.lastDrill.ok ? 1 : 0) : -1);
    if (b.lastDrill) metrics.backupLastDrillRtoSeconds.set(b.lastDrill.rtoSeconds);
  }
  const failed = [queues, backups].find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}
