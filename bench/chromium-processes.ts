/**
 * Where Chromium spends CPU and memory during browser scans, per process type. A benchmark: it prints.
 *
 *   npm run bench:chromium-processes                 (BENCH_SCANS=4; CHROMIUM_PATH picks the engine)
 *
 * One warm-up visit (launch, tracker lists), then BENCH_SCANS three-visit scans one after the other,
 * alternating the tracking and the clean fixture. Every 50 ms it reads, for each process of the pooled
 * Chromium, its CPU time (utime + stime in /proc/<pid>/stat) and
 * its kind from the command line (`--type=`, `--utility-sub-type=`; the browser process has none), PSS
 * every 500 ms. A process that ends between two samples loses at most 50 ms of CPU from the table.
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeBrowserPool } from '../src/scanner/browser/index.ts';
import { scan, type ScanOptions } from '../src/scanner/index.ts';
import { startFixtureSites } from '../test/scanner/browser/fixture-sites.ts';

const SCANS = Number(process.env.BENCH_SCANS ?? 4);
const SAMPLE_MS = 50;
/** PSS every 10th sample: smaps_rollup walks every mapping of a process, which is not free. */
const PSS_EVERY = 10;
const TICK_S = 1 / 100; // USER_HZ on Linux

interface Seen {
  kind: string;
  /** CPU ticks when first seen in the measured window (0 for a process started within it). */
  ticks0: number;
  ticks: number;
}

/** The kind of a Chromium process: `browser`, `renderer`, `gpu-process`, `utility:<service>`, … */
function kindOf(args: string[]): string {
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  if (!type) return 'browser';
  if (type !== 'utility') return type;
  const service = args.find((a) => a.startsWith('--utility-sub-type='))?.split('=')[1] ?? '?';
  return `utility:${service.replace(/\.mojom\..*$/, '')}`;
}

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // ended while we looked
    }
  }
  return byParent;
}

function descendants(root: number): number[] {
  const byParent = children();
  const found: number[] = [];
  const todo = [...(byParent.get(root) ?? [])];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    found.push(pid);
    todo.push(...(byParent.get(pid) ?? []));
  }
  return found;
}

function sample(withPss: boolean): { pid: number; args: string[]; ticks: number; pss: number }[] {
  const out = [];
  for (const pid of descendants(process.pid)) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!path.basename(args[0] ?? '').startsWith('chrom')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const pss = withPss
        ? Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
        : 0;
      out.push({ pid, args, ticks, pss: pss * 1024 });
    } catch {
      // ended while we looked
    }
  }
  return out;
}

async function main() {
  const sites = await startFixtureSites();
  const engine = process.env.CHROMIUM_PATH ? { chromiumPath: process.env.CHROMIUM_PATH } : {};
  const base: ScanOptions = { allowPrivate: true, resolver: sites.resolver, ca: [sites.caPem] };
  await scan(sites.cleanUrl, { ...base, browser: { ...engine, visits: ['none'] } });

  const seen = new Map<number, Seen>();
  for (const p of sample(false)) seen.set(p.pid, { kind: kindOf(p.args), ticks0: p.ticks, ticks: p.ticks });
  const peakByKind = new Map<string, number>();
  let peakTotal = 0;
  let tick = 0;
  let samplerMicros = 0;
  const timer = setInterval(() => {
    const own = process.cpuUsage();
    const withPss = tick++ % PSS_EVERY === 0;
    const byKind = new Map<string, number>();
    for (const p of sample(withPss)) {
      const known = seen.get(p.pid);
      if (known) known.ticks = p.ticks;
      else seen.set(p.pid, { kind: kindOf(p.args), ticks0: 0, ticks: p.ticks });
      const kind = seen.get(p.pid)!.kind;
      byKind.set(kind, (byKind.get(kind) ?? 0) + p.pss);
    }
    if (withPss) {
      for (const [kind, pss] of byKind) peakByKind.set(kind, Math.max(peakByKind.get(kind) ?? 0, pss));
      peakTotal = Math.max(
        peakTotal,
        [...byKind.values()].reduce((a, b) => a + b, 0),
      );
    }
    const spent = process.cpuUsage(own);
    samplerMicros += spent.user + spent.system;
  }, SAMPLE_MS);

  const node0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < SCANS; i++) {
    const url = i % 2 === 0 ? sites.trackingUrl : sites.cleanUrl;
    const { artefacts } = await scan(url, { ...base, browser: { ...engine } });
    if (artefacts.browser?.error) throw new Error(`browser stage failed: ${artefacts.browser.error.message}`);
  }
  const wall = (performance.now() - t0) / 1000;
  const node = process.cpuUsage(node0);
  clearInterval(timer);
  await closeBrowserPool();
  await sites.close();

  const rows = new Map<string, { processes: number; cpu: number }>();
  for (const s of seen.values()) {
    const row = rows.get(s.kind) ?? { processes: 0, cpu: 0 };
    if (s.ticks > s.ticks0 || s.ticks0 === 0) row.processes++;
    row.cpu += (s.ticks - s.ticks0) * TICK_S;
    rows.set(s.kind, row);
  }
  const total = [...rows.values()].reduce((a, r) => a + r.cpu, 0);
  const [load1] = os.loadavg();
  console.log(
    `${SCANS} three-visit scans, one at a time, engine ${process.env.CHROMIUM_PATH ?? 'default'} ` +
      `(load ${load1!.toFixed(2)}, ${wall.toFixed(1)} s wall)`,
  );
  console.log('  process kind                  processes  CPU-s  peak PSS MB');
  for (const [kind, r] of [...rows].sort((a, b) => b[1].cpu - a[1].cpu)) {
    console.log(
      `  ${kind.padEnd(30)}${String(r.processes).padStart(8)}${r.cpu.toFixed(2).padStart(8)}` +
        `${((peakByKind.get(kind) ?? 0) / 1024 ** 2).toFixed(0).padStart(12)}`,
    );
  }
  console.log(`  Chromium total                        ${total.toFixed(2).padStart(8)}`);
  const nodeS = (node.user + node.system - samplerMicros) / 1e6;
  console.log(`  node (this process, not the sampler)  ${nodeS.toFixed(2).padStart(8)}`);
  console.log(`  the sampler itself                    ${(samplerMicros / 1e6).toFixed(2).padStart(8)}`);
  console.log(`  peak Chromium PSS ${(peakTotal / 1024 ** 2).toFixed(0)} MB`);
}

await main();
