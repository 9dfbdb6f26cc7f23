/**
 * Runs MDN HTTP Observatory's own `scan(host)` (its library entry point) in a process of its own,
 * started by bench/observatory.ts with NODE_EXTRA_CA_CERTS = the loopback test CA (Node reads it
 * only at start-up) and `--import loopback-dns.mjs` (names resolve to loopback only).
 *
 * Reads one request per line on stdin, `<host> <rounds>`, scans the host that many times and
 * answers one JSON line: the first round's grade, score and test results and every round's time.
 * The bench alternates these requests with VIOscan's own scans of the same site, so both run
 * under the same machine load.
 */
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import readline from 'node:readline';
import { scan } from '@mdn/mdn-http-observatory';

async function once(host) {
  const t0 = performance.now();
  try {
    const result = await scan(host);
    return { ms: performance.now() - t0, result };
  } catch (error) {
    return { ms: performance.now() - t0, error: String(error?.message ?? error) };
  }
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  const [host, roundsArg] = line.trim().split(/\s+/);
  const times = [];
  let first;
  for (let i = 0; i < Number(roundsArg); i++) {
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
