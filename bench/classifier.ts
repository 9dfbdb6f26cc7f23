/**
 * The classifier's start-up paths and per-request cost. A benchmark, not a test: it prints.
 *
 *   npm run bench:classifier     (BENCH_ROUNDS=3 by default)
 *
 * 1. Building the two list engines (EasyPrivacy + EasyList from the shipped snapshot): parsing the
 *    text (what a process pays without a cache) against deserializing the engines cached by list
 *    hash + engine version (what the next process pays), and a reused classifier (the same process).
 * 2. classify() per request on a mix of tracker, CDN and first-party URLs.
 * Prints the machine's load average: other engineers share these cores.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClassifier } from '../src/scanner/browser/classify.ts';
import { SHIPPED_RULES_DIR } from '../src/scanner/browser/rule-sources.ts';
import { loadEngine } from '../src/scanner/browser/tracker-engine.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LISTS = ['easyprivacy.txt', 'easylist.txt'].map((f) =>
  readFileSync(path.join(SHIPPED_RULES_DIR, f), 'utf8'),
);
const PAGE = 'https://www.shop.example.com/';
const URLS: [string, string][] = [
  ['https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123&en=page_view', 'ping'],
  ['https://www.googletagmanager.com/gtag/js?id=G-ABC123', 'script'],
  ['https://connect.facebook.net/en_US/fbevents.js', 'script'],
  ['https://static.hotjar.com/c/hotjar-123.js?sv=6', 'script'],
  ['https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js', 'script'],
  ['https://www.shop.example.com/static/app.4f2a.js', 'script'],
  ['https://www.shop.example.com/img/hero.webp', 'image'],
  ['https://fonts.gstatic.com/s/roboto/v30/KFOmCnqEu92Fr1Mu4mxK.woff2', 'font'],
  ['https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js', 'script'],
  ['https://api.shop.example.com/cart', 'xhr'],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (fn: () => unknown) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

async function main(): Promise<void> {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'vioscan-bench-rules-'));
  try {
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${os.cpus().length} cores`,
    );
    const parse = median(Array.from({ length: ROUNDS }, () => time(() => LISTS.map((t) => loadEngine(t)))));
    LISTS.map((t) => loadEngine(t, cacheDir)); // fill the cache
    const cached = median(
      Array.from({ length: ROUNDS }, () =>
        time(() => {
          const loads = LISTS.map((t) => loadEngine(t, cacheDir));
          if (loads.some((l) => l.via !== 'cache')) throw new Error('expected cache hits');
        }),
      ),
    );
    const first = await createClassifier({ cacheDir });
    const t0 = performance.now();
    const again = await createClassifier({ cacheDir });
    const reuse = performance.now() - t0;
    if (again !== first) throw new Error('expected the same classifier');

    const n = 20_000;
    const perRequest =
      (time(() => {
        for (let i = 0; i < n; i++) {
          const [url, type] = URLS[i % URLS.length]!;
          first.classify(`${url}${url.includes('?') ? '&' : '?'}r=${i}`, { pageUrl: PAGE, type });
        }
      }) /
        n) *
      1000;

    console.log(
      `build the list engines, parsing the text:      ${parse.toFixed(0)} ms (median of ${ROUNDS})`,
    );
    console.log(
      `build them from the cached engines:            ${cached.toFixed(0)} ms  (${(parse / cached).toFixed(1)}× faster)`,
    );
    console.log(`reuse the process's classifier:                ${reuse.toFixed(3)} ms`);
    console.log(`classify one request (lists + owner + party):  ${perRequest.toFixed(1)} µs (${n} requests)`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

await main();
