/**
 * Runs MDN HTTP Observatory's own `scan(host)` (its library entry point) in a process of its own,
 * started by bench/observatory.ts with NODE_EXTRA_CA_CERTS = the loopback test CA (Node reads it
 * only at start-up) and `--import loopback-dns.mjs` (names resolve to loopback only).
 *
 *   node --import ./loopback-dns.mjs observatory-runner.mjs <rounds> <host>...
 *
 * Prints one JSON line per host: the result of the first round and the duration of each round
 * (warm: every host is scanned once before any round is timed).
 */
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { scan } from '@mdn/mdn-http-observatory';

const [roundsArg, ...hosts] = process.argv.slice(2);
const rounds = Number(roundsArg);

async function once(host) {
  const t0 = performance.now();
  try {
    const result = await scan(host);
    return { ms: performance.now() - t0, result };
  } catch (error) {
    return { ms: performance.now() - t0, error: String(error?.message ?? error) };
  }
}

for (const host of hosts) await once(host);
for (const host of hosts) {
  const times = [];
  let first;
  for (let i = 0; i < rounds; i++) {
    const r = await once(host);
    times.push(r.ms);
    first ??= r;
  }
  const { result, error } = first;
  const tests = result
    ? Object.fromEntries(
        Object.entries(result.tests).map(([name, t]) => [
          name,
          { result: t.result, modifier: t.scoreModifier },
        ]),
      )
    : undefined;
  process.stdout.write(
    `${JSON.stringify({ host, times, ...(result && { grade: result.scan.grade, score: result.scan.score, tests }), ...(error && { error }) })}\n`,
  );
}
