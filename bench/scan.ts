/**
 * Scan throughput on loopback fixture sites. A benchmark, not a test: it prints.
 *
 *   npm run bench:scan      (BENCH_ROUNDS=5 BENCH_SCANS=200 BENCH_CONCURRENCY=50 by default)
 *
 * 1. Median time of one full scan (gather → analyze) against the median time of one plain GET of
 *    the same URL, made in the same run with a plain undici Agent: the ratio is what the guard,
 *    the extra requests (http twin, TLS version probes, security.txt, CORS) and the checks cost.
 * 2. Sites per minute at BENCH_CONCURRENCY concurrent scans, with peak RSS and heap.
 * Loopback only: every site is a test site on 127.0.0.1 with the test CA.
 */
import { Agent, request } from 'undici';
import { scan } from '../src/scanner/index.ts';
import { disposeTestPki } from '../test/sites/pki.ts';
import { redirectTo, startTestSite, type RunningSite, type TestSiteSpec } from '../test/sites/site.ts';
import { GOOD_HEADERS, GOOD_PAGE } from '../test/scanner/smoke/fixtures.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCANS = Number(process.env.BENCH_SCANS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

const page = (n: number) =>
  `<!doctype html><html><head>${'<script src="/a.js"></script><link rel="stylesheet" href="/s.css">'.repeat(n)}</head><body>${'<p>text <img src="/i.png"></p>'.repeat(n * 10)}</body></html>`;

const SPECS: TestSiteSpec[] = [
  { routes: { '/': { headers: GOOD_HEADERS, body: GOOD_PAGE } } },
  { routes: { '/': { headers: { 'content-type': 'text/html' }, body: page(20) } } },
  { routes: { '/': { headers: { 'content-type': 'text/html' }, body: page(200), gzip: true } } },
  { routes: { '/': redirectTo('/home', 302), '/home': { headers: GOOD_HEADERS, body: page(5) } } },
  {
    tls: false,
    routes: { '/': { headers: { 'content-type': 'text/html', server: 'Apache/2.4.1' }, body: page(10) } },
  },
  {
    tls: 'ec',
    routes: { '/': { headers: { ...GOOD_HEADERS, 'set-cookie': ['sid=1; Path=/'] }, body: page(1) } },
  },
];

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

async function main(): Promise<void> {
  const sites: RunningSite[] = await Promise.all(SPECS.map((s) => startTestSite(s)));
  const ca = [sites[0]!.pki.caPem];
  const urls = sites.map((s) => s.url);
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
    clearInterval(sampler);
    sample();

    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
    console.log(
      `scan benchmark — ${urls.length} loopback fixture sites, ${ROUNDS} rounds, Node ${process.version}`,
    );
    console.log(`  plain GET (median)        ${fetchMs.toFixed(1)} ms`);
    console.log(`  full scan (median)        ${scanMs.toFixed(1)} ms`);
    console.log(`  ratio scan / plain GET    ${(scanMs / fetchMs).toFixed(1)}×`);
    console.log(
      `  throughput                ${((SCANS / elapsed) * 60_000).toFixed(0)} sites/minute (${SCANS} scans, concurrency ${CONCURRENCY}, ${failed} failed)`,
    );
    console.log(`  peak memory               rss ${mb(peakRss)}, heap ${mb(peakHeap)}`);
  } finally {
    await Promise.all(sites.map((s) => s.close()));
    await disposeTestPki();
  }
}

await main();
