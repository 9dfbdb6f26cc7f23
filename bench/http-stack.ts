/**
 * GET /api/v1/version through the full plugin stack (security headers, CORS, load shedding,
 * validation, database-backed rate limit, error mapping, access log) against a bare fastify
 * route returning the same JSON, in one run, on loopback. A benchmark, not a test: it prints.
 *
 *   npm run bench            (BENCH_SECONDS=5 BENCH_CONNECTIONS=10 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config/load.ts';
import { openDatabase } from '../src/db/kysely.ts';
import { migrateUp } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Measurement {
  label: string;
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function measure(label: string, url: string): Promise<Measurement> {
  await autocannon({ url, connections: CONNECTIONS, duration: 1 }); // warm-up: JIT, pools, first rows
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return {
    label,
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-bench-'));
  const db = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  await migrateUp(db);
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // One client hammering from loopback must measure the stack, not the 429 path.
    RATE_LIMIT_MAX: '1000000000',
    APP_SECRET: 'a'.repeat(64),
    BACKUP_KEY: 'b'.repeat(64),
  });
  const full = await buildApp({
    config,
    db,
    jobs: { ping: async () => {} },
    logger: pino({ level: 'silent' }),
  });
  const fullUrl = await listen(full);

  const bare = Fastify({ logger: false });
  const versionBody = (await full.inject({ url: '/api/v1/version' })).json();
  bare.get('/api/v1/version', async () => versionBody);
  const bareUrl = await listen(bare);

  try {
    const results = [
      await measure('bare fastify route', `${bareUrl}/api/v1/version`),
      await measure('full stack', `${fullUrl}/api/v1/version`),
      // Same stack without the rate-limit counter write, to show where the cost is.
      await measure('full stack, /healthz (no DB)', `${fullUrl}/healthz`),
    ];
    const [baseline] = results;
    console.log(
      `\nGET /api/v1/version, ${CONNECTIONS} connections, ${SECONDS}s each, loopback, ${db.engine}\n`,
    );
    console.log('| run | req/s | p99 ms | vs bare (req/s) | non-2xx | errors |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      const ratio = r.requestsPerSecond / baseline!.requestsPerSecond;
      console.log(
        `| ${r.label} | ${r.requestsPerSecond.toFixed(0)} | ${r.p99Ms} | ${ratio.toFixed(3)} | ${r.non2xx} | ${r.errors} |`,
      );
    }
    const stack = results[1]!;
    console.log(
      `\nfull stack / bare: ${(stack.requestsPerSecond / baseline!.requestsPerSecond).toFixed(3)} of the throughput, ` +
        `p99 ${stack.p99Ms} ms vs ${baseline!.p99Ms} ms`,
    );
  } finally {
    await full.close();
    await bare.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
