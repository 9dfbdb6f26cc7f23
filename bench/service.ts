/**
 * Scan-service throughput: scans per minute with one and with two real `vioscan worker`
 * processes sharing one queue, and the ratio two / one. A benchmark, not a test: it prints.
 *
 *   npm run bench:service                   (PostgreSQL at BENCH_DATABASE_URL, a fresh schema)
 *   npm run bench:service -- --db pglite    (one worker only: the embedded database has one owner)
 *   npm run bench:service -- --browser      (browser scans, PostgreSQL: see below)
 *
 * Passive by default (BROWSER_SCANS=false): BENCH_SITES=32 fixture sites, BENCH_SCANS=512 scans per
 * run, BENCH_LATENCY_MS=150 per response, SCAN_WORKER_CONCURRENCY=8 per process (the service's own
 * default is 2: a passive scan mostly waits on the site, so a worker with 2 slots makes at most
 * ~250 a minute whatever the machine), SCAN_CONCURRENCY=16 overall. Each can be set.
 *
 * `--browser`: every scan also runs the browser stage (three visits in the worker's one Chromium),
 * BENCH_SCANS=12 per run by default, BROWSER_SCAN_CONCURRENCY=2 unless set; each fixture page loads a
 * tracking third party (bench/fixtures.ts). Prints scans per minute with one and two workers, peak
 * memory per worker (node + Chromium) and, when a goal of issue 13 is missed (two workers ≥ 12 browser
 * scans/min, < 1.2 GB per worker), the bottleneck (bench/service-browser.ts).
 *
 * Every fixture site (bench/fixtures.ts) listens on its own loopback address (127.0.0.11, .12, …):
 * scan leases keep one scan per host (src/modules/scans/leases.ts), so sites sharing 127.0.0.1
 * would serialise.
 * Each response waits BENCH_LATENCY_MS, as a site across the internet would: a scan is mostly
 * waiting on the network, which is what more worker processes buy throughput for. Scans are
 * queued through the service's own requestScan (quota, usage event, pg-boss job) once the
 * workers are ready; the clock runs from the first enqueue to the last finished scan.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { chooseEntry } from '../bin/entry.js';
import { loadConfig, type ResolvedConfig } from '../src/config/load.ts';
import type { Database } from '../src/db/kysely.ts';
import { migrateUp } from '../src/db/migrate.ts';
import { startJobs, type Jobs } from '../src/jobs/boss.ts';
import { createQueues } from '../src/jobs/index.ts';
import { scan as scanJob } from '../src/jobs/scan.ts';
import type { JobDefinition } from '../src/jobs/types.ts';
import { requestScan } from '../src/modules/scans/service.ts';
import { openConfiguredDatabase } from '../src/ops/database.ts';
import { seed, type Setup } from './fixtures.ts';
import { describeWaits, measureWaits, type Waits } from './service-waits.ts';
import { bottleneck, describeCpu, startCpuMeasure, WORKER_APP_NAME, type CpuMeasure } from './service-cpu.ts';
import {
  browserVerdict,
  describeMeasure,
  startBrowserSampler,
  type BrowserMeasure,
} from './service-browser.ts';

const BROWSER = process.argv.includes('--browser');
const SITES = Number(process.env.BENCH_SITES ?? (BROWSER ? 8 : 32));
const SCANS = Number(process.env.BENCH_SCANS ?? (BROWSER ? 12 : 512));
const BROWSER_SLOTS = process.env.BROWSER_SCAN_CONCURRENCY ?? '2';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);
const PER_WORKER = process.env.SCAN_WORKER_CONCURRENCY ?? (BROWSER ? '2' : '8');
const CAP = process.env.SCAN_CONCURRENCY ?? '16';
/** Issue 16: two workers ≥ 1,000 passive scans a minute, and ≥ 1.8× one worker. */
const GOAL_PER_MINUTE = 1000;
const GOAL_RATIO = 1.8;
/** Scans that can run at once: consumers, the global cap, and one lease per host (one host per site). */
const slotsOf = (workers: number) => Math.min(workers * Number(PER_WORKER), Number(CAP), SITES);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = path.resolve(import.meta.dirname, '../bin/vioscan.js');
const engineFlag = process.argv.indexOf('--db');
const ENGINE = engineFlag > 0 ? process.argv[engineFlag + 1] : 'postgres';
if (ENGINE !== 'postgres' && ENGINE !== 'pglite') throw new Error('--db takes postgres or pglite');
if (BROWSER && ENGINE === 'pglite')
  throw new Error('--browser compares one and two workers and reads browser slots: it needs --db postgres');

interface Worker {
  child: ChildProcess;
  output: () => string;
}

function startWorker(env: Record<string, string>): Promise<Worker> {
  return new Promise((resolve, reject) => {
    // BENCH_WORKER_NODE_OPTIONS: node flags for the workers only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const nodeArgs = (process.env.BENCH_WORKER_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'worker'], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker not ready in 120 s:\n${output.slice(-2000)}`));
    }, 120_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/runtime ready/.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before ready:\n${output.slice(-2000)}`));
    });
  });
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((r) => worker.child.once('exit', r));
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const finishedLines = (output: string) =>
  (output.match(/"msg":"scan (finished|failed|crashed)"/g) ?? []).length;

async function enqueue(
  db: Database,
  config: ResolvedConfig,
  jobs: Jobs,
  setup: Setup,
  n: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const scan = await requestScan(db, config, jobs.boss, {
      orgId: setup.orgId,
      siteId: setup.siteIds[i % setup.siteIds.length]!,
      source: 'api',
      requestedBy: null,
      browser: BROWSER,
    });
    ids.push(scan.id);
  }
  return ids;
}

interface Run {
  workers: number;
  scans: number;
  seconds: number;
  perMinute: number;
  failed: number;
  /** --browser only. */
  browser?: BrowserMeasure;
  /** PostgreSQL only: where the CPU went (bench/service-cpu.ts). */
  cpu?: CpuMeasure;
  /** PostgreSQL only: where a consumer slot's time went (bench/service-waits.ts). */
  waits?: Waits;
}

/** The fixture sites' process (bench/service-sites.ts): its CPU is measured apart. */
interface Sites {
  fixtures: { url: string; host: string }[];
  cpuMs(): Promise<number>;
  close(): void;
}

async function startSites(): Promise<Sites> {
  const child = fork(new URL('./service-sites.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  const ready = new Promise<{ fixtures: Sites['fixtures'] }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { fixtures: Sites['fixtures'] }));
    child.once('exit', (code) => reject(new Error(`fixture sites exited with ${code}`)));
  });
  child.send({ sites: SITES, latencyMs: LATENCY_MS, browser: BROWSER });
  const { fixtures } = await ready;
  return {
    fixtures,
    cpuMs: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { cpuMs: number }).cpuMs));
        child.send('cpu');
      }),
    close: () => child.send('stop'),
  };
}

/** PostgreSQL: start the workers, then queue SCANS scans and time them to the last one finished. */
async function runPostgres(
  workers: number,
  env: Record<string, string>,
  db: Database,
  config: ResolvedConfig,
  jobs: Jobs,
  setup: Setup,
  sites: Sites,
): Promise<Run> {
  // A worker that did start is stopped even when another one failed to: none is left behind.
  const started = await Promise.allSettled(Array.from({ length: workers }, () => startWorker(env)));
  const procs = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failedStart = started.find((r) => r.status === 'rejected');
  if (failedStart) {
    await Promise.all(procs.map(stopWorker));
    throw failedStart.reason;
  }
  const sampler = BROWSER
    ? startBrowserSampler(
        db,
        procs.map((p) => p.child.pid!),
        Number(BROWSER_SLOTS),
      )
    : undefined;
  try {
    const cpu = startCpuMeasure(
      db,
      procs.map((p) => p.child.pid!),
      () => sites.cpuMs(),
    );
    const t0 = performance.now();
    const ids = await enqueue(db, config, jobs, setup, SCANS);
    for (;;) {
      const rows = await db.kysely
        .selectFrom('scans')
        .select(['status'])
        .where('id', 'in', ids)
        .where('status', 'in', ['succeeded', 'failed', 'cancelled'])
        .execute();
      if (rows.length === ids.length) {
        const seconds = (performance.now() - t0) / 1000;
        const failed = rows.filter((r) => r.status !== 'succeeded').length;
        const browser = await sampler?.stop(ids);
        return {
          workers,
          scans: SCANS,
          seconds,
          perMinute: (SCANS / seconds) * 60,
          failed,
          ...(browser && { browser }),
          cpu: await cpu.stop(ids),
          waits: await measureWaits(db, ids, slotsOf(workers)),
        };
      }
      if (procs.some((p) => p.child.exitCode !== null))
        throw new Error(`a worker exited:\n${procs.map((p) => p.output().slice(-2000)).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await Promise.all(procs.map(stopWorker));
  }
}

/** PGlite: the bench queues the scans and lets go of DATA_DIR; one worker then owns it. */
async function runPglite(
  env: Record<string, string>,
  config: ResolvedConfig,
  fixtures: { url: string; host: string }[],
): Promise<Run> {
  const { db, lock } = await openConfiguredDatabase(config, 'bench:service');
  try {
    await migrateUp(db);
    const jobs = await startJobs(db, { supervise: false, logger: pino({ level: 'silent' }) });
    await createQueues(jobs, [scanJob as JobDefinition]);
    await enqueue(db, config, jobs, await seed(db, fixtures), SCANS);
    await jobs.stop();
  } finally {
    await db.close();
    lock?.release();
  }
  // The clock starts when the worker is ready: its start-up (opening PGlite) is not throughput.
  const worker = await startWorker(env);
  const t0 = performance.now();
  try {
    while (finishedLines(worker.output()) < SCANS) {
      if (worker.child.exitCode !== null)
        throw new Error(`the worker exited:\n${worker.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    const failed = (worker.output().match(/"msg":"scan (failed|crashed)"/g) ?? []).length;
    return { workers: 1, scans: SCANS, seconds, perMinute: (SCANS / seconds) * 60, failed };
  } finally {
    await stopWorker(worker);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const sites = await startSites();
  const fixtures = sites.fixtures;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-bench-service-'));
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    APP_SECRET: 'a'.repeat(64),
    BACKUP_KEY: 'b'.repeat(64),
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_TARGETS: 'true',
    SCAN_CONCURRENCY: CAP,
    SCAN_WORKER_CONCURRENCY: PER_WORKER,
    // Three visits take far longer than a passive scan on a busy machine.
    SCAN_TIMEOUT_S: BROWSER ? '150' : '60',
    BROWSER_SCANS: String(BROWSER),
    BROWSER_SCAN_CONCURRENCY: BROWSER_SLOTS,
    LOG_LEVEL: 'info',
    MAX_EVENT_LOOP_DELAY_MS: '600000',
    // The engine to compare (docs/privacy-scan.md#speed): the workers use the same one.
    ...(process.env.CHROMIUM_PATH && { CHROMIUM_PATH: process.env.CHROMIUM_PATH }),
    // The PostgreSQL backends serving the workers are found by this name (bench/service-cpu.ts).
    PGAPPNAME: WORKER_APP_NAME,
    ...(ENGINE === 'postgres' ? { DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
  };
  const config = loadConfig(env);
  const runs: Run[] = [];
  let dropSchema: (() => Promise<void>) | undefined;
  try {
    if (ENGINE === 'pglite') {
      runs.push(await runPglite(env, config, fixtures));
    } else {
      const { db } = await openConfiguredDatabase(config, 'bench:service');
      dropSchema = async () => {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
        await sql`drop schema if exists ${sql.id(db.jobSchema)} cascade`.execute(db.kysely);
        await db.close();
      };
      await migrateUp(db);
      const jobs = await startJobs(db, { supervise: false, logger: pino({ level: 'silent' }) });
      try {
        await createQueues(jobs, [scanJob as JobDefinition]);
        const setup = await seed(db, fixtures);
        for (const workers of [1, 2])
          runs.push(await runPostgres(workers, env, db, config, jobs, setup, sites));
      } finally {
        await jobs.stop();
      }
    }
  } finally {
    await dropSchema?.().catch(() => undefined);
    sites.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const [load1] = os.loadavg();
  console.log(
    `scan service benchmark${BROWSER ? ' (browser scans)' : ''} — ${SITES} loopback fixture sites ` +
      `(${LATENCY_MS} ms per response), ${SCANS} scans per run, SCAN_WORKER_CONCURRENCY=${PER_WORKER}, ` +
      `SCAN_CONCURRENCY=${CAP}${BROWSER ? `, BROWSER_SCAN_CONCURRENCY=${BROWSER_SLOTS}` : ''}, ` +
      `${ENGINE === 'postgres' ? 'PostgreSQL' : 'PGlite'}, Node ${process.version}, ` +
      `${os.cpus().length} CPUs, load ${load1!.toFixed(1)}`,
  );
  // A worker of a checkout whose dist/ is stale runs the sources through tsx (bin/entry.js): slower
  // and larger than the built package, so the figures would not be the product's.
  const entry = chooseEntry(path.resolve(import.meta.dirname, '..'));
  console.log(
    entry.kind === 'source'
      ? `  workers ran the sources through tsx (${entry.reason}): npm run build for the built package's figures`
      : '  workers ran the built dist/',
  );
  for (const run of runs) {
    console.log(
      `  ${run.workers} worker process${run.workers > 1 ? 'es' : ''}   ` +
        `${run.perMinute.toFixed(BROWSER ? 1 : 0).padStart(5)} ${BROWSER ? 'browser ' : ''}scans/minute` +
        ` (${run.scans} scans in ${run.seconds.toFixed(1)} s, ${run.failed} failed)`,
    );
    if (run.browser) console.log(`      ${describeMeasure(run.browser)}`);
    if (run.cpu)
      for (const line of describeCpu(run.cpu, run.scans, slotsOf(run.workers))) console.log(`      ${line}`);
    if (run.waits) console.log(`      ${describeWaits(run.waits)}`);
  }
  if (runs.length === 2)
    console.log(`  ratio two / one      ${(runs[1]!.perMinute / runs[0]!.perMinute).toFixed(2)}×`);
  else
    console.log(
      '  ratio two / one      n/a: PGlite belongs to one process; use --db postgres for two workers',
    );
  const two = runs.find((r) => r.workers === 2);
  const one = runs.find((r) => r.workers === 1);
  if (two?.cpu && one && !BROWSER) {
    const ratio = two.perMinute / one.perMinute;
    const met = two.perMinute >= GOAL_PER_MINUTE && ratio >= GOAL_RATIO;
    console.log(
      `  goal ≥ ${GOAL_PER_MINUTE} scans/min with two workers, two / one ≥ ${GOAL_RATIO}×: ${met ? 'met' : 'missed'}`,
    );
    if (!met)
      for (const run of [one, two])
        console.log(
          `  bottleneck, ${run.workers} worker${run.workers > 1 ? 's' : ''}: ${bottleneck(run.cpu!, run.scans, run.perMinute, slotsOf(run.workers))}`,
        );
  }
  if (two?.browser) {
    // Memory is judged on every run: one worker running two scans in its Chromium may peak higher.
    const peakPerWorker = runs.flatMap((r) => r.browser?.peakPerWorker ?? []);
    const measure = { ...two.browser, peakPerWorker };
    for (const line of browserVerdict(two.perMinute, measure, Number(BROWSER_SLOTS))) console.log(line);
  }
  console.log(`  (benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

await main();
