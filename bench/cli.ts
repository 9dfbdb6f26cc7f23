/**
 * CLI start-up: from spawning `vioscan` (bin/vioscan.js, so dist/ when it is built and fresh) to
 * the first byte of `--help` on stdout, and to the first request a scan sends to a loopback site,
 * against `node -e 0` run in turn with them (A B A B …). Prints medians, the ratios and the goals
 * (help ≤ 0.3 s, first scan request ≤ 0.5 s). A benchmark, not a test: it prints.
 *
 *   npm run bench:cli        (BENCH_RUNS=10)
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chooseEntry } from '../bin/entry.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/vioscan.js');
const GOAL_HELP_MS = 300;
const GOAL_SCAN_MS = 500;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Milliseconds from spawn until `until` resolves (or the process exits, for `node -e 0`). */
function timeTo(args: string[], until?: (child: ReturnType<typeof spawn>) => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(performance.now() - t0);
      child.kill('SIGKILL');
    };
    child.on('error', reject);
    child.on('exit', () => (until ? !done && reject(new Error(`${args.join(' ')} exited first`)) : finish()));
    child.stdout!.resume();
    child.stderr!.resume();
    void until?.(child).then(finish);
  });
}

async function main(): Promise<void> {
  let firstRequest: (() => void) | undefined;
  const site = http.createServer((_req, res) => {
    firstRequest?.();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>bench</title>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

  const floor: number[] = [];
  const help: number[] = [];
  const scan: number[] = [];
  try {
    for (let i = 0; i <= RUNS; i++) {
      const n = await timeTo(['-e', '0']);
      const h = await timeTo(
        [BIN, '--help'],
        (child) => new Promise((r) => child.stdout!.once('data', () => r())),
      );
      const s = await timeTo(
        [BIN, 'scan', url, '--allow-private', '--quiet', '--timeout', '5'],
        () => new Promise((r) => (firstRequest = r)),
      );
      if (i === 0) continue; // warm-up: the page cache, tsx's cache when running the sources
      floor.push(n);
      help.push(h);
      scan.push(s);
    }
  } finally {
    site.close();
  }
  const entry = chooseEntry(ROOT);
  const running = entry.kind === 'source' ? `the sources (${entry.reason})` : 'dist/';
  const [n, h, s] = [median(floor), median(help), median(scan)];
  console.log(`vioscan start-up, ${RUNS} runs each in turn, running ${running}, Node ${process.version}`);
  console.log(`  node -e 0 (exit)                 median ${n.toFixed(0).padStart(4)} ms`);
  console.log(
    `  vioscan --help (first output)    median ${h.toFixed(0).padStart(4)} ms  ${(h / n).toFixed(1)}× node  goal ≤ ${GOAL_HELP_MS} ms: ${h <= GOAL_HELP_MS ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  vioscan scan (first request)     median ${s.toFixed(0).padStart(4)} ms  ${(s / n).toFixed(1)}× node  goal ≤ ${GOAL_SCAN_MS} ms: ${s <= GOAL_SCAN_MS ? 'met' : 'MISSED'}`,
  );
}

await main();
