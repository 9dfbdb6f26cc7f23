/**
 * Scan throughput on loopback fixture sites. A benchmark, not a test: it prints.
 *
 *   npm run bench:scan      (BENCH_ROUNDS=5 BENCH_SCANS=300 BENCH_CONCURRENCY=50 by default)
 *
 * 1. Median time of one full scan (gather → analyze) against the median time of one plain GET of
 *    the same URL, made in the same run with a plain undici Agent: the ratio is what the guard,
 *    the extra requests (http twin, TLS probes, security.txt, CORS, robots/sitemap, crawl) and the
 *    checks cost.
 * 2. Sites per minute at BENCH_CONCURRENCY concurrent scans, with peak RSS and heap, against the
 *    goal of 1,000 sites/min under 500 MB; when missed, the output names the bottleneck from the
 *    CPU each side used and the machine's load.
 * The sites run in a child process (bench/scan-sites.ts): a scanned server's CPU is not the
 * scanner's. Loopback only: every site is a test site on 127.0.0.1 with the test CA.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { Agent, request } from 'undici';
import { scan } from '../src/scanner/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCANS = Number(process.env.BENCH_SCANS ?? 300);
const GOAL_PER_MINUTE = 1000;
const RSS_LIMIT = 500 * 1024 * 1024;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

interface SitesCpu {
  cpu: NodeJS.CpuUsage;
  rss: number;
}

async function main(): Promise<void> {
  const child = fork(new URL('./scan-sites.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  const ready = await new Promise<{ urls: string[]; caPem: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { urls: string[]; caPem: string }));
    child.once('exit', (code) => reject(new Error(`fixture sites exited with ${code}`)));
  });
  const sitesCpu = () =>
    new Promise<SitesCpu>((resolve) => {
      child.once('message', (m) => resolve(m as SitesCpu));
      child.send('cpu');
    });
  const ca = [ready.caPem];
  const urls = ready.urls;
  const options = { allowPrivate: true, ca };
  try {
    // Warm-up: JIT, secure contexts, module caches.
    for (const url of urls) await scan(url, options);

    const fetchTimes: number[] = [];
    const scanTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const url of urls) {
        // A fresh Agent per fetch, as a scan uses a fresh pool: both pay for their connections.
        const agent = new Agent({ connect: { ca } });
        fetchTimes.push(
          await timeIt(async () => {
            const res = await request(url, { dispatcher: agent });
            await res.body.text();
          }),
        );
        await agent.close();
        scanTimes.push(await timeIt(() => scan(url, options)));
      }
    }
    const fetchMs = median(fetchTimes);
    const scanMs = median(scanTimes);

    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const sampler = setInterval(sample, 20);
    const siteCpu0 = await sitesCpu();
    const cpu0 = process.cpuUsage();
    const load0 = os.loadavg()[0]!;
    let next = 0;
    let failed = 0;
    const failures = new Map<string, number>();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, SCANS) }, async () => {
        while (next < SCANS) {
          const url = urls[next++ % urls.length]!;
          const { report } = await scan(url, options);
          if (report.error) {
            failed++;
            failures.set(report.error.code, (failures.get(report.error.code) ?? 0) + 1);
          }
        }
      }),
    );
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const siteCpu1 = await sitesCpu();
    clearInterval(sampler);
    sample();
    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    const scannerCpu = cpuMs(cpu);
    const serverCpu = cpuMs(siteCpu1.cpu) - cpuMs(siteCpu0.cpu);
    const perMinute = (SCANS / elapsed) * 60_000;

    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
    console.log(
      `scan benchmark — ${urls.length} loopback fixture sites, ${ROUNDS} rounds, Node ${process.version}`,
    );
    console.log(`  plain GET (median)        ${fetchMs.toFixed(1)} ms`);
    console.log(`  full scan (median)        ${scanMs.toFixed(1)} ms`);
    console.log(`  ratio scan / plain GET    ${(scanMs / fetchMs).toFixed(1)}×`);
    console.log(
      `  throughput                ${perMinute.toFixed(0)} sites/minute (${SCANS} scans, concurrency ${CONCURRENCY}, ${failed} failed${failures.size ? `: ${[...failures].map(([c, n]) => `${c} ${n}`).join(', ')}` : ''})`,
    );
    console.log(
      `  peak memory               scanner rss ${mb(peakRss)}, heap ${mb(peakHeap)}; sites rss ${mb(siteCpu1.rss)}`,
    );
    console.log(
      `  CPU per scan              scanner ${(scannerCpu / SCANS).toFixed(1)} ms (${((scannerCpu / elapsed) * 100).toFixed(0)} % of one core), ` +
        `sites ${(serverCpu / SCANS).toFixed(1)} ms (${((serverCpu / elapsed) * 100).toFixed(0)} %)`,
    );
    console.log(
      `  machine                   ${os.cpus().length} cores, load average ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} (other processes included)`,
    );
    // One event loop per side: each caps at one core, so an idle machine runs at the slower side's pace.
    const ceiling = 60_000 / (Math.max(scannerCpu, serverCpu) / SCANS);
    console.log(
      `  CPU-bound ceiling         ${ceiling.toFixed(0)} sites/minute on an idle machine (one core each for scanner and sites; an estimate from the CPU above)`,
    );
    const met = perMinute >= GOAL_PER_MINUTE && peakRss < RSS_LIMIT;
    console.log(
      `  goal ≥ ${GOAL_PER_MINUTE} sites/min, rss < ${mb(RSS_LIMIT)}: ${met ? 'met' : `missed — ${bottleneck(scannerCpu, serverCpu, elapsed, load0, peakRss)}`}`,
    );
  } finally {
    child.send('stop');
  }
}

/** The scanner is one event loop: it caps out at one core. What kept it from the goal? */
function bottleneck(
  scannerCpu: number,
  serverCpu: number,
  elapsed: number,
  load: number,
  rss: number,
): string {
  if (rss >= RSS_LIMIT) return 'memory: the scanner process passed the RSS limit';
  const scannerBusy = scannerCpu / elapsed;
  const cores = os.cpus().length;
  if (load > cores + 1 && scannerBusy < 0.8)
    return `CPU contention: load average ${load.toFixed(1)} on ${cores} cores, the scanner got ${(scannerBusy * 100).toFixed(0)} % of a core`;
  if (scannerBusy >= 0.8)
    return `the scanner's event loop (${(scannerCpu / (elapsed / 60_000) / GOAL_PER_MINUTE).toFixed(0)} ms of CPU per scan at the goal rate would need more than one core)`;
  if (serverCpu / elapsed >= 0.8) return 'the fixture sites process (one core for all TLS handshakes)';
  return 'waiting: neither side used its core (timeouts or concurrency too low)';
}

await main();
