/**
 * The browser stage's speed and memory on the loopback fixture sites. A benchmark, not a test: it prints.
 *
 *   npm run bench:browser      (BENCH_SITES=10 BENCH_CONCURRENCY=2 by default)
 *
 * 1. Baseline in the same run: the passive scan of the same sites (no browser), seconds per site.
 * 2. The three-visit scan (none · reject · gpc), BENCH_CONCURRENCY sites at once, and the one-visit
 *    scan: median seconds per site, sites per minute, and the ratio to the passive baseline.
 * 3. Peak memory of this process plus every Chromium process under it (PSS, so pages the Chromium
 *    processes share count once), sampled every 200 ms.
 * Goals (issue 12, this 2-core machine): three visits ≤ 8 s per site median with 2 at once, one visit
 * ≤ 3 s, peak RSS < 1.2 GB. The fixture corpus alternates the tracking and the clean fixture (one
 * server, names resolved to loopback by the test resolver). Loopback only.
 */
import os from 'node:os';
import { closeBrowserPool } from '../src/scanner/browser/index.ts';
import { scan, type ScanOptions } from '../src/scanner/index.ts';
import { mapLimit } from '../src/scanner/map-limit.ts';
import { startFixtureSites } from '../test/scanner/browser/fixture-sites.ts';
import { treeRss } from './memory.ts';

const SITES = Number(process.env.BENCH_SITES ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const GOALS = { threeVisitS: 8, oneVisitS: 3, rssBytes: 1.2 * 1024 ** 3 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main() {
  const sites = await startFixtureSites();
  const base: ScanOptions = { allowPrivate: true, resolver: sites.resolver, ca: [sites.caPem] };
  // CHROMIUM_PATH picks the engine, as it does for the CLI (chromiumPath is a browser option).
  const engine = process.env.CHROMIUM_PATH ? { chromiumPath: process.env.CHROMIUM_PATH } : {};
  const corpus = Array.from({ length: SITES }, (_, i) => (i % 2 === 0 ? sites.trackingUrl : sites.cleanUrl));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(process.pid))), 200);

  const timed = async (url: string, options: ScanOptions) => {
    const t0 = performance.now();
    const { artefacts } = await scan(url, options);
    if (artefacts.browser?.error) throw new Error(`browser stage failed: ${artefacts.browser.error.message}`);
    return (performance.now() - t0) / 1000;
  };
  const run = async (label: string, options: ScanOptions, limit: number) => {
    const t0 = performance.now();
    const seconds = await mapLimit(corpus, limit, (url) => timed(url, options));
    const wall = (performance.now() - t0) / 1000;
    return { label, median: median(seconds), perMinute: (corpus.length / wall) * 60 };
  };

  // Warm-up: Chromium's launch and the tracker lists' parse are once per process, not per site.
  await timed(sites.cleanUrl, { ...base, browser: { ...engine, visits: ['none'] } });
  const passive = await run('passive scan (baseline)', base, CONCURRENCY);
  const three = await run(
    `three visits, ${CONCURRENCY} at once`,
    { ...base, browser: { ...engine } },
    CONCURRENCY,
  );
  const one = await run('one visit, one at a time', { ...base, browser: { ...engine, visits: ['none'] } }, 1);
  clearInterval(sampler);
  await closeBrowserPool();
  await sites.close();

  const [load1] = os.loadavg();
  console.log(
    `browser stage on ${SITES} fixture sites (${os.cpus().length} CPUs, load ${load1!.toFixed(2)}, ` +
      `engine ${process.env.CHROMIUM_PATH ?? 'default'})`,
  );
  for (const r of [passive, three, one]) {
    console.log(
      `  ${r.label.padEnd(28)} median ${r.median.toFixed(2)} s/site  ${r.perMinute.toFixed(1)} sites/min  ` +
        `×${(r.median / passive.median).toFixed(1)} the passive scan`,
    );
  }
  const gb = peak / 1024 ** 3;
  console.log(`  peak memory (node + Chromium, PSS) ${gb.toFixed(2)} GB`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `goals: three visits ≤ ${GOALS.threeVisitS} s ${verdict(three.median <= GOALS.threeVisitS)}, ` +
      `one visit ≤ ${GOALS.oneVisitS} s ${verdict(one.median <= GOALS.oneVisitS)}, ` +
      `memory < 1.2 GB ${verdict(peak < GOALS.rssBytes)}`,
  );
}

await main();
