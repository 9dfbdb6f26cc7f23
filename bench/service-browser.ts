/**
 * What `npm run bench:service -- --browser` measures besides throughput (bench/service.ts): peak
 * memory of each worker process with its Chromium, how busy the machine's cores were, how often every
 * browser slot (BROWSER_SCAN_CONCURRENCY) was taken, and how long one browser scan took, so a
 * missed goal names its bottleneck instead of only a number.
 */
import os from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../src/db/kysely.ts';
import { cpuTicks, treeRss } from './memory.ts';

/** Issue 13: two workers on this 2-core machine, fixture corpus. */
export const BROWSER_GOALS = { twoWorkersPerMinute: 12, rssBytesPerWorker: 1.2 * 1024 ** 3 };

export interface BrowserMeasure {
  /** Peak memory of each worker process plus its Chromium (PSS), bytes. */
  peakPerWorker: number[];
  /** Share of the machine's CPU time that was busy during the run (all processes, not only ours). */
  cpuBusy: number;
  /** Share of samples in which every browser slot was held. */
  slotsFull: number;
  /** Median seconds from a scan's start to its end (three visits plus the passive scan). */
  medianScanS: number;
  /** Succeeded scans whose privacy was not graded (the browser stage failed or timed out). */
  ungraded: number;
}

const SAMPLE_MS = 500;

/** Samples memory and browser slots until `stop`, which also reads the scans' own timings. */
export function startBrowserSampler(db: Database, pids: number[], slotCap: number) {
  const peaks = pids.map(() => 0);
  const cpu0 = cpuTicks();
  let samples = 0;
  let full = 0;
  let pending = false;
  const timer = setInterval(() => {
    pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i]!, treeRss(pid))));
    if (pending) return;
    pending = true;
    void db.kysely
      .selectFrom('browser_leases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst()
      .then((row) => {
        samples++;
        if (Number(row?.n ?? 0) >= slotCap) full++;
      })
      .finally(() => (pending = false));
  }, SAMPLE_MS);
  return {
    async stop(scanIds: string[]): Promise<BrowserMeasure> {
      clearInterval(timer);
      const cpu1 = cpuTicks();
      const rows = await db.kysely
        .selectFrom('scans')
        .select([
          'privacy_grade',
          'status',
          sql<number>`extract(epoch from (finished_at - started_at))`.as('seconds'),
        ])
        .where('id', 'in', scanIds)
        .execute();
      const seconds = rows
        .map((r) => Number(r.seconds))
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      return {
        peakPerWorker: peaks,
        cpuBusy: (cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total),
        slotsFull: samples ? full / samples : 0,
        medianScanS: seconds.length ? seconds[Math.floor(seconds.length / 2)]! : NaN,
        ungraded: rows.filter((r) => r.status === 'succeeded' && r.privacy_grade === null).length,
      };
    },
  };
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GB`;
const pct = (share: number) => `${Math.round(share * 100)}%`;

/** The goals' verdicts and, for a missed one, what held it back. */
export function browserVerdict(
  twoWorkersPerMinute: number,
  measure: BrowserMeasure,
  slotCap: number,
): string[] {
  const peak = Math.max(...measure.peakPerWorker);
  const fast = twoWorkersPerMinute >= BROWSER_GOALS.twoWorkersPerMinute;
  const small = peak < BROWSER_GOALS.rssBytesPerWorker;
  const lines = [
    `goals: two workers ≥ ${BROWSER_GOALS.twoWorkersPerMinute} browser scans/min ${fast ? 'met' : 'MISSED'} ` +
      `(${twoWorkersPerMinute.toFixed(1)}), peak per worker < 1.2 GB ${small ? 'met' : 'MISSED'} (${gb(peak)})`,
  ];
  if (!fast) {
    const [load1] = os.loadavg();
    if (measure.cpuBusy >= 0.9)
      lines.push(
        `  bottleneck: CPU — the machine's ${os.cpus().length} cores were ${pct(measure.cpuBusy)} busy ` +
          `(load ${load1!.toFixed(1)}); Chromium's rendering and the checks wait for a core`,
      );
    else if (measure.slotsFull >= 0.8)
      lines.push(
        `  bottleneck: browser slots — all ${slotCap} (BROWSER_SCAN_CONCURRENCY) were held ` +
          `${pct(measure.slotsFull)} of the time while cores were ${pct(measure.cpuBusy)} busy; ` +
          'raise it if memory allows',
      );
    else
      lines.push(
        `  bottleneck: time per scan — ${measure.medianScanS.toFixed(1)} s median (three visits and their ` +
          `waits), slots full ${pct(measure.slotsFull)} of the time, cores ${pct(measure.cpuBusy)} busy`,
      );
  }
  if (!small)
    lines.push(
      `  memory: a worker with its Chromium peaked at ${gb(peak)} (PSS); fewer scans per worker lower it`,
    );
  return lines;
}

export function describeMeasure(measure: BrowserMeasure): string {
  return (
    `peak memory per worker ${measure.peakPerWorker.map(gb).join(', ')} (node + Chromium, PSS); ` +
    `${measure.medianScanS.toFixed(1)} s median per scan; cores ${pct(measure.cpuBusy)} busy; ` +
    `browser slots full ${pct(measure.slotsFull)} of the time` +
    (measure.ungraded ? `; ${measure.ungraded} scans without a privacy grade` : '')
  );
}
