/**
 * Where the CPU of a bench:service run went (bench/service.ts), measured rather than guessed: the
 * worker processes (with any Chromium below them), the PostgreSQL backends serving those workers
 * (found by their application_name in pg_stat_activity), the fixture sites (their own process,
 * bench/service-sites.ts), the bench process itself (enqueueing, polling) and, from /proc/stat,
 * everything else on the machine (other work, PostgreSQL's background writers). Linux only: where
 * /proc is missing the figures are NaN and the verdict says so.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../src/db/kysely.ts';
import { cpuTicks } from './memory.ts';

/** The application_name the workers' connections carry (node-postgres reads PGAPPNAME). */
export const WORKER_APP_NAME = 'vioscan-bench-worker';

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();
const SAMPLE_MS = 500;

/** CPU time (user + system, ms) of every process on the machine, with its parent, from /proc. */
function processTable(): Map<number, { ppid: number; cpuMs: number }> {
  const table = new Map<number, { ppid: number; cpuMs: number }>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of proc(5) (utime, stime), counted here from field 3 (state).
      table.set(Number(entry), {
        ppid: Number(fields[1]),
        cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
      });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

function treeCpuMs(table: Map<number, { ppid: number; cpuMs: number }>, root: number): number {
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  let total = 0;
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    total += table.get(pid)?.cpuMs ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface CpuMeasure {
  /** ms of CPU over the run. */
  workers: number;
  postgres: number;
  sites: number;
  bench: number;
  /** Every other process on the machine (other work, PostgreSQL's own background processes). */
  other: number;
  /** Share of the machine's CPU time (all cores) that was busy. */
  busy: number;
  cores: number;
  elapsedMs: number;
  /** Median and mean seconds from a scan's start (lease taken, running) to its result stored. */
  medianScanS: number;
  meanScanS: number;
}

/**
 * Starts measuring at once: call right before the first scan is queued, `stop` right after the last
 * one finished (the workers still running).
 */
export function startCpuMeasure(db: Database, workerPids: number[], sitesCpuMs: () => Promise<number>) {
  const t0 = performance.now();
  const ticks0 = cpuTicks();
  const bench0 = process.cpuUsage();
  const table0 = processTable();
  const workers0 = workerPids.reduce((s, pid) => s + treeCpuMs(table0, pid), 0);
  const sites0 = sitesCpuMs();
  // Backend pid → CPU when first seen (0 for a backend that started during the run) and when last seen.
  const backends = new Map<number, { first: number; last: number }>();
  let firstSample = true;
  let pending: Promise<void> | undefined;
  const sampleBackends = async () => {
    const rows = await sql<{ pid: number }>`
      select pid from pg_stat_activity where application_name = ${WORKER_APP_NAME}`.execute(db.kysely);
    const table = processTable();
    for (const { pid } of rows.rows) {
      const cpu = table.get(Number(pid))?.cpuMs;
      if (cpu === undefined) continue;
      const seen = backends.get(pid);
      if (seen) seen.last = cpu;
      else backends.set(pid, { first: firstSample ? cpu : 0, last: cpu });
    }
    firstSample = false;
  };
  pending = sampleBackends().catch(() => undefined);
  const timer = setInterval(() => {
    pending ??= sampleBackends()
      .catch(() => undefined)
      .finally(() => (pending = undefined));
  }, SAMPLE_MS);
  return {
    async stop(scanIds: string[]): Promise<CpuMeasure> {
      clearInterval(timer);
      await pending;
      await sampleBackends().catch(() => undefined);
      const elapsedMs = performance.now() - t0;
      const ticks1 = cpuTicks();
      const bench = process.cpuUsage(bench0);
      const table1 = processTable();
      const workers = workerPids.reduce((s, pid) => s + treeCpuMs(table1, pid), 0) - workers0;
      const sites = (await sitesCpuMs()) - (await sites0);
      const postgres = [...backends.values()].reduce((s, b) => s + b.last - b.first, 0);
      const benchMs = (bench.user + bench.system) / 1000;
      const machineMs = (ticks1.busy - ticks0.busy) * TICK_MS;
      const times = await sql<{ run: number | null }>`
        select extract(epoch from (finished_at - started_at))::float8 as run
        from scans where id = any(${scanIds}::uuid[])`.execute(db.kysely);
      const runs = times.rows.flatMap((r) => (r.run === null ? [] : [r.run])).sort((a, b) => a - b);
      return {
        workers,
        postgres,
        sites,
        bench: benchMs,
        other: Math.max(0, machineMs - workers - postgres - sites - benchMs),
        busy: (ticks1.busy - ticks0.busy) / Math.max(1, ticks1.total - ticks0.total),
        cores: os.cpus().length,
        elapsedMs,
        medianScanS: runs.length ? runs[Math.floor(runs.length / 2)]! : NaN,
        meanScanS: runs.length ? runs.reduce((a, b) => a + b, 0) / runs.length : NaN,
      };
    },
  };
}

const pct = (share: number) => `${Math.round(share * 100)} %`;

/**
 * Seconds per scan that a consumer slot spent outside a running scan: taking the job, the lease,
 * alerts and completing it after the result is stored, or idle.
 */
const gapS = (m: CpuMeasure, scans: number, slots: number) =>
  (slots * m.elapsedMs) / 1000 / scans - m.meanScanS;

/** Two lines: CPU per scan for each side and how busy the machine was; the time of one scan. */
export function describeCpu(m: CpuMeasure, scans: number, slots: number): string[] {
  const per = (ms: number) => `${(ms / scans).toFixed(1)} ms`;
  return [
    `CPU per scan: workers ${per(m.workers)}, PostgreSQL (their backends) ${per(m.postgres)}, ` +
      `fixture sites ${per(m.sites)}, bench ${per(m.bench)}; cores ${pct(m.busy)} busy ` +
      `(other processes ${pct(m.other / (m.elapsedMs * m.cores))} of the machine)`,
    `scan running ${m.medianScanS.toFixed(2)} s (median; lease to stored result), ` +
      `${gapS(m, scans, slots).toFixed(2)} s per scan outside a running scan per slot (${slots} slots)`,
  ];
}

/**
 * What kept a run below its goal, from what was measured: the CPU when the cores were ≥ 90 % busy
 * (naming the largest consumer), otherwise the scans at once × the time of one scan, or the waits
 * between scans (queue, leases) when the run stayed well below that ceiling.
 */
export function bottleneck(m: CpuMeasure, scans: number, perMinute: number, slots: number): string {
  if (!Number.isFinite(m.busy)) return 'unknown: /proc is not readable here';
  const shares: [string, number][] = [
    ['the worker processes', m.workers],
    ['PostgreSQL', m.postgres],
    ['the fixture sites', m.sites],
    ['the bench process', m.bench],
    ['other processes on the machine', m.other],
  ];
  const machine = m.elapsedMs * m.cores;
  const [top, topMs] = shares.sort((a, b) => b[1] - a[1])[0]!;
  const split = shares.map(([name, ms]) => `${name} ${pct(ms / machine)}`).join(', ');
  if (m.busy >= 0.9)
    return `CPU: cores ${pct(m.busy)} busy, most of it ${top} (${pct(topMs / machine)}); ${split}`;
  const ceiling = (slots * 60) / m.meanScanS;
  if (perMinute >= 0.75 * ceiling)
    return (
      `scans at once: ${slots} at a time × ${m.meanScanS.toFixed(2)} s per scan (mostly waiting on the ` +
      `sites' answers) caps a run at ${ceiling.toFixed(0)}/min; cores only ${pct(m.busy)} busy (${split})`
    );
  return (
    `waits between scans: ${slots} at a time × ${m.meanScanS.toFixed(2)} s per scan would allow ` +
    `${ceiling.toFixed(0)}/min, the run made ${perMinute.toFixed(0)} (${gapS(m, scans, slots).toFixed(2)} s ` +
    `per scan outside a running scan); cores ${pct(m.busy)} busy (${split})`
  );
}
