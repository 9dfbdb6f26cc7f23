/**
 * Time to ready: `vioscan serve` (what `npm start` runs) on the embedded database, from spawning
 * the process to the first 200 from /readyz (database and job queue usable), on a fresh DATA_DIR
 * and on a restart of the same one, BENCH_RUNS=5 times each; prints each run and the medians
 * against the goals (fresh ≤ 5 s, restart ≤ 3 s) and, as the floor, `node -e 0` in the same run.
 * A benchmark, not a test: it prints.
 *
 *   npm run bench:start
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../test/helpers/cli.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BIN = path.resolve(import.meta.dirname, '../bin/vioscan.js');
const GOAL_FRESH_S = 5;
const GOAL_RESTART_S = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Milliseconds from spawn to the first 200 of /readyz; then a graceful stop. */
async function timeToReady(dataDir: string): Promise<{ ms: number; phases: string }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`serve exited with ${child.exitCode}:\n${output.slice(-2000)}`);
      if (performance.now() - t0 > 120_000) throw new Error(`not ready in 120 s:\n${output.slice(-2000)}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = performance.now() - t0;
    // Where the time went, from the process's own log (ms since its runtime began opening).
    const phases = [
      ...output.matchAll(/"ms":(\d+),"msg":"(database open|migrations applied|job queue started)"/g),
    ]
      .map((m) => `${m[2]} ${m[1]} ms`)
      .join(', ');
    return { ms, phases };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

function nodeFloor(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const fresh: number[] = [];
  const restart: number[] = [];
  const floor: number[] = [];
  console.log(`vioscan serve to /readyz 200, embedded database, ${RUNS} runs, Node ${process.version}`);
  for (let i = 0; i < RUNS; i++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-bench-start-'));
    try {
      floor.push(nodeFloor());
      const a = await timeToReady(dataDir);
      const b = await timeToReady(dataDir);
      fresh.push(a.ms);
      restart.push(b.ms);
      console.log(
        `  run ${i + 1}: fresh ${seconds(a.ms)} (${a.phases}); restart ${seconds(b.ms)} (${b.phases})`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const f = median(fresh);
  const r = median(restart);
  const n = median(floor);
  console.log(`  node -e 0         median ${seconds(n)}`);
  console.log(
    `  fresh DATA_DIR    median ${seconds(f)} (${(f / n).toFixed(1)}× node -e 0)  goal ≤ ${GOAL_FRESH_S} s: ${f <= GOAL_FRESH_S * 1000 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  restart           median ${seconds(r)} (${(r / n).toFixed(1)}× node -e 0)  goal ≤ ${GOAL_RESTART_S} s: ${r <= GOAL_RESTART_S * 1000 ? 'met' : 'MISSED'}`,
  );
}

await main();
