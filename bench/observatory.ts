/**
 * Parity with the real MDN HTTP Observatory (@mdn/mdn-http-observatory, a dev dependency), measured
 * on the loopback corpus of bench/observatory/corpus.ts. A benchmark, not a test: it prints.
 *
 *   npm run bench:observatory     (BENCH_ROUNDS=3 BENCH_CLI_SITES=12 by default)
 *
 * Both scanners see the same sites in one run:
 *  - grades: VIOscan's `headersGrade`/`headersScore` against Observatory's `scan(host)` grade and
 *    score, and every one of the ten test results side by side; sites marked `deliberate` in the
 *    corpus (docs/scoring.md) are reported apart from unexplained disagreement;
 *  - time: a warm library call (each scanner in its own process, every site scanned once before
 *    timing; median of BENCH_ROUNDS) and a whole CLI process (`vioscan scan` against Observatory's
 *    src/scan.js, the script its wrapper spawns) on BENCH_CLI_SITES sites; and where VIOscan's
 *    time goes, per phase. The sites run in a third process (observatory/corpus-host.ts): a
 *    scanner sharing its thread with the servers it scans would pay for their handshakes too.
 *
 * Loopback only, enforced twice: every site listens on 127.0.14.x (BENCH_NET; ports 443 and 80,
 * so the bench needs root or CAP_NET_BIND_SERVICE), and every process of the bench, Observatory's included,
 * runs with bench/observatory/loopback-dns.mjs, which resolves the corpus names and loopback IPs
 * only. Observatory trusts the test CA through NODE_EXTRA_CA_CERTS, VIOscan through `ca`/`--ca`.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import readline from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from '../bin/entry.js';
import { observatoryResults } from '../src/scanner/grade/observatory-score.ts';
import { scan } from '../src/scanner/index.ts';
import type { Resolver } from '../src/scanner/gather/safe-fetch.ts';
import { CORPUS, hostOf, type CorpusSite } from './observatory/corpus.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLI_SITES = Number(process.env.BENCH_CLI_SITES ?? 12);
const TARGET_AGREEMENT = 0.97;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const preload = path.join(root, 'bench/observatory/loopback-dns.mjs');
const runner = path.join(root, 'bench/observatory/observatory-runner.mjs');
const corpusHost = path.join(root, 'bench/observatory/corpus-host.ts');
const observatoryCli = path.join(root, 'node_modules/@mdn/mdn-http-observatory/src/scan.js');
const vioscanCli = path.join(root, 'bin/vioscan.js');

interface TheirResult {
  host: string;
  times: number[];
  grade?: string;
  score?: number;
  tests?: Record<string, { result: string; modifier: number }>;
  error?: string;
}

interface SiteOutcome {
  site: CorpusSite;
  host: string;
  ours: {
    grade: string | null;
    score: number | null;
    tests: Record<string, string>;
    times: number[];
    /** Each round's per-phase timings (ms from the phase's start; gather/index.ts). */
    phases: Record<string, number>[];
    /** Probes cut at the probe deadline in any round. */
    cut: string[];
  };
  theirs: TheirResult;
  differing: string[];
  verdict: 'agree' | 'deliberate' | 'disagree';
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** The corpus in its own process (corpus-host.ts), so that no scanner shares a thread with the servers. */
async function startCorpus(): Promise<{
  hosts: Record<string, string>;
  caFile: string;
  caPem: string;
  close(): Promise<void>;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', corpusHost], {
    env: process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error('the corpus host stopped before serving (see its error above)');
  const served = JSON.parse(first.value as string) as {
    hosts: Record<string, string>;
    caFile: string;
    caPem: string;
  };
  return {
    ...served,
    close: () => {
      child.stdin.end();
      return new Promise((resolve) => child.once('close', () => resolve()));
    },
  };
}

function resolverFor(hosts: Record<string, string>): Resolver {
  return async (host) => {
    const address = hosts[host.toLowerCase()];
    if (!address) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return [{ address, family: 4 }];
  };
}

const targetUrl = (site: CorpusSite) => `${site.tls === false ? 'http' : 'https'}://${hostOf(site.name)}/`;

/** Observatory's library in its own process, answering one `<host> <rounds>` request at a time. */
function startObservatory(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', preload, runner], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async scan(host: string, rounds: number): Promise<TheirResult> {
      child.stdin.write(`${host} ${rounds}\n`);
      const next = await lines.next();
      if (next.done) throw new Error(`Observatory runner stopped: ${stderr.slice(0, 2000)}`);
      return JSON.parse(next.value as string) as TheirResult;
    },
    close: () => {
      child.stdin.end();
      return new Promise((resolve) => child.once('close', resolve));
    },
  };
}

function compare(site: CorpusSite, ours: SiteOutcome['ours'], theirs: TheirResult): SiteOutcome {
  const host = hostOf(site.name);
  const differing = Object.keys(ours.tests).filter((t) => theirs.tests?.[t]?.result !== ours.tests[t]);
  const sameGrade = theirs.grade !== undefined && theirs.grade === ours.grade;
  const allowed = site.deliberate?.tests ?? [];
  const verdict =
    sameGrade && differing.length === 0
      ? 'agree'
      : differing.length > 0 && differing.every((t) => allowed.includes(t))
        ? 'deliberate'
        : 'disagree';
  return { site, host, ours, theirs, differing, verdict };
}

async function timeClis(
  env: NodeJS.ProcessEnv,
  caFile: string,
  sample: CorpusSite[],
): Promise<{ ours: number[]; theirs: number[]; mismatches: string[] }> {
  const ours: number[] = [];
  const theirs: number[] = [];
  const mismatches: string[] = [];
  const vioscan = (site: CorpusSite) =>
    run(
      process.execPath,
      [
        '--import',
        preload,
        vioscanCli,
        'scan',
        targetUrl(site),
        '--allow-private',
        '--ca',
        caFile,
        '--format',
        'json',
        '--quiet',
      ],
      env,
    );
  const observatory = (site: CorpusSite) =>
    run(process.execPath, ['--import', preload, observatoryCli, hostOf(site.name)], env);
  // One unmeasured start of each warms the file-system cache, as a user's second run would be.
  await vioscan(sample[0]!);
  await observatory(sample[0]!);
  for (const [i, site] of sample.entries()) {
    // Alternate who goes first, so neither always runs on a cache the other just warmed.
    const pair = i % 2 === 0 ? [vioscan, observatory] : [observatory, vioscan];
    for (const fn of pair) {
      const r = await fn(site);
      if (fn === vioscan) {
        ours.push(r.ms);
        const grade = (JSON.parse(r.stdout || '{}') as { headersGrade?: string }).headersGrade;
        if (grade === undefined) mismatches.push(`${site.name}: vioscan CLI printed no report`);
      } else {
        theirs.push(r.ms);
        if (!(JSON.parse(r.stdout || '{}') as { scan?: unknown }).scan)
          mismatches.push(`${site.name}: Observatory CLI printed no scan (${r.stdout.slice(0, 120)})`);
      }
    }
  }
  return { ours, theirs, mismatches };
}

/**
 * Where VIOscan's time goes: per phase, the median over sites of each site's median, and on how
 * many sites that phase was the last to finish (the one the scan waited for). Phases run in
 * parallel, so they do not add up to the total.
 */
function printPhases(outcomes: SiteOutcome[]): void {
  const names = [...new Set(outcomes.flatMap((o) => o.ours.phases.flatMap((p) => Object.keys(p))))];
  const perSite = (o: SiteOutcome, name: string) => median(o.ours.phases.map((p) => p[name] ?? 0));
  const lastOf = (o: SiteOutcome) => {
    const gathered = names.filter((n) => n !== 'total' && n !== 'hstsPreload' && n !== 'html');
    return gathered.reduce((a, b) => (perSite(o, b) > perSite(o, a) ? b : a));
  };
  const last = new Map<string, number>();
  for (const o of outcomes) last.set(lastOf(o), (last.get(lastOf(o)) ?? 0) + 1);
  console.log("\nVIOscan phases (ms; median over sites of each site's median; they overlap):");
  for (const name of names.sort(
    (a, b) => median(outcomes.map((o) => perSite(o, b))) - median(outcomes.map((o) => perSite(o, a))),
  )) {
    const values = outcomes.map((o) => perSite(o, name));
    console.log(
      `  ${name.padEnd(14)} median ${median(values).toFixed(0).padStart(5)}   max ${Math.max(...values)
        .toFixed(0)
        .padStart(6)}` + (last.has(name) ? `   last to finish on ${last.get(name)} sites` : ''),
    );
  }
  for (const o of outcomes.filter((o) => o.ours.cut.length > 0))
    console.log(`  probes cut at the deadline on ${o.site.name}: ${o.ours.cut.join(', ')}`);
}

function printOutcomes(outcomes: SiteOutcome[]): void {
  const n = outcomes.length;
  const deliberate = outcomes.filter((o) => o.verdict === 'deliberate');
  const rest = outcomes.filter((o) => o.verdict !== 'deliberate');
  const same = (list: SiteOutcome[]) => list.filter((o) => o.ours.grade === o.theirs.grade).length;
  const scoreDiff = (list: SiteOutcome[]) =>
    sum(list.map((o) => Math.abs((o.ours.score ?? 0) - (o.theirs.score ?? 0)))) / Math.max(1, list.length);
  console.log(`\nCorpus: ${n} loopback sites (${deliberate.length} deliberate differences, docs/scoring.md)`);
  console.log(`  same grade, whole corpus             ${same(outcomes)}/${n} = ${pct(same(outcomes), n)}`);
  console.log(
    `  same grade, deliberate ones aside    ${same(rest)}/${rest.length} = ${pct(same(rest), rest.length)}` +
      `   (target ≥ ${TARGET_AGREEMENT * 100} %: ${same(rest) / rest.length >= TARGET_AGREEMENT ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  same score, deliberate ones aside    ${rest.filter((o) => o.ours.score === o.theirs.score).length}/${rest.length}`,
  );
  console.log(
    `  mean |score difference|             ${scoreDiff(outcomes).toFixed(2)} (deliberate aside: ${scoreDiff(rest).toFixed(2)})`,
  );

  const perTest = new Map<string, SiteOutcome[]>();
  for (const o of outcomes) for (const t of o.differing) perTest.set(t, [...(perTest.get(t) ?? []), o]);
  console.log('\nPer-test differences (sites whose result differs; D = deliberate):');
  if (perTest.size === 0) console.log('  none');
  for (const [test, list] of [...perTest.entries()].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${test.padEnd(32)} ${String(list.length).padStart(3)}`);
    for (const o of list)
      console.log(
        `      ${o.verdict === 'deliberate' ? 'D' : ' '} ${o.site.name.padEnd(30)} ours ${o.ours.tests[test]}  ·  Observatory ${o.theirs.tests?.[test]?.result ?? o.theirs.error}`,
      );
  }
  const disagreeing = outcomes.filter((o) => o.verdict === 'disagree' || o.ours.grade !== o.theirs.grade);
  console.log('\nSites with another grade, or an unexplained test difference (D = deliberate):');
  if (disagreeing.length === 0) console.log('  none');
  for (const o of disagreeing)
    console.log(
      `  ${o.verdict === 'deliberate' ? 'D' : ' '} ${o.site.name.padEnd(30)} ours ${o.ours.grade} (${o.ours.score})  ·  Observatory ${o.theirs.grade ?? '-'} (${o.theirs.score ?? o.theirs.error})` +
        (o.verdict === 'deliberate' ? `  — ${o.site.deliberate?.reason}` : ''),
    );
  const silent = outcomes.filter((o) => o.site.deliberate && o.verdict !== 'deliberate');
  for (const o of silent)
    console.log(`  note: ${o.site.name} is marked deliberate but showed no such difference`);
}

async function main(): Promise<void> {
  console.log(
    `Observatory parity benchmark — Node ${process.version}, ${os.cpus().length} cores, load ${load()}`,
  );
  const corpus = await startCorpus();
  const { hosts } = corpus;
  const env = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: corpus.caFile,
    VIOSCAN_BENCH_HOSTS: JSON.stringify(hosts),
    NODE_NO_WARNINGS: '1',
  };
  try {
    const observatory = startObservatory(env);
    const options = { allowPrivate: true, ca: [corpus.caPem], resolver: resolverFor(hosts) };
    const outcomes: SiteOutcome[] = [];
    try {
      // Warm-up: every site once with each scanner (JIT, TLS session caches, file cache).
      for (const site of CORPUS) {
        await observatory.scan(hostOf(site.name), 1);
        await scan(targetUrl(site), options);
      }
      for (const [i, site] of CORPUS.entries()) {
        const times: number[] = [];
        const phases: Record<string, number>[] = [];
        const cut: string[] = [];
        let first: Awaited<ReturnType<typeof scan>> | undefined;
        const ours = async () => {
          for (let round = 0; round < ROUNDS; round++) {
            const t0 = performance.now();
            const result = await scan(targetUrl(site), options);
            times.push(performance.now() - t0);
            phases.push(result.artefacts.timings);
            for (const name of result.artefacts.cut ?? []) if (!cut.includes(name)) cut.push(name);
            first ??= result;
          }
        };
        // Alternate who goes first, so both see the same machine load on average.
        let theirs: TheirResult;
        if (i % 2 === 0) {
          theirs = await observatory.scan(hostOf(site.name), ROUNDS);
          await ours();
        } else {
          await ours();
          theirs = await observatory.scan(hostOf(site.name), ROUNDS);
        }
        const tests = Object.fromEntries(observatoryResults(first!.artefacts).map((r) => [r.test, r.result]));
        const mine = {
          grade: first!.report.headersGrade,
          score: first!.report.headersScore,
          tests,
          times,
          phases,
          cut,
        };
        outcomes.push(compare(site, mine, theirs));
      }
    } finally {
      await observatory.close();
    }
    printOutcomes(outcomes);

    const oursLib = outcomes.map((o) => median(o.ours.times));
    const theirsLib = outcomes.map((o) => median(o.theirs.times));
    console.log(
      `\nTime, warm library call (median of ${ROUNDS} per site, summed over ${outcomes.length} sites, the two interleaved):`,
    );
    console.log(
      `  VIOscan scan()        ${sum(oursLib).toFixed(0)} ms   (median site ${median(oursLib).toFixed(1)} ms)`,
    );
    console.log(
      `  Observatory scan()    ${sum(theirsLib).toFixed(0)} ms   (median site ${median(theirsLib).toFixed(1)} ms)`,
    );
    console.log(`  ratio VIOscan / Observatory   ${(sum(oursLib) / sum(theirsLib)).toFixed(2)}×`);
    printPhases(outcomes);

    const entry = chooseEntry(root);
    if (CLI_SITES > 0 && entry.kind !== 'dist') {
      console.log(
        `\nTime, whole CLI process: not measured, vioscan would run its sources through tsx (${'reason' in entry ? entry.reason : 'dist/ is missing'}): npm run build first`,
      );
    } else if (CLI_SITES > 0) {
      const step = Math.max(1, Math.floor(CORPUS.length / CLI_SITES));
      const sample = CORPUS.filter((_, i) => i % step === 0).slice(0, CLI_SITES);
      const cli = await timeClis(env, corpus.caFile, sample);
      console.log(`\nTime, whole CLI process (${sample.length} sites, one run each after one warm-up):`);
      console.log(`  vioscan scan          median ${median(cli.ours).toFixed(0)} ms`);
      console.log(`  Observatory scan.js   median ${median(cli.theirs).toFixed(0)} ms`);
      console.log(`  ratio VIOscan / Observatory   ${(median(cli.ours) / median(cli.theirs)).toFixed(2)}×`);
      for (const m of cli.mismatches) console.log(`  warning: ${m}`);
    }
    console.log(`\nLoad average at the end: ${load()}`);
  } finally {
    await corpus.close();
  }
}

await main();
