/**
 * The security stack's cost: three routes through the full app (security headers, CORS, load
 * shedding, validation, rate limit, authentication, CSRF, error mapping, access log) against a
 * bare Fastify route returning the same JSON, in one run, on loopback, on both engines:
 * an anonymous route, a session-authenticated one (cookie) and an API-token one (Bearer).
 * Each handler only returns a constant, so the difference is the stack. Goals: ≥ 0.65 of bare
 * throughput and p99 ≤ 2× bare. A benchmark, not a test: it prints.
 *
 * Bare and full alternate BENCH_ROUNDS times per route and each side reports its median round,
 * so a burst of load from elsewhere on the machine lands on both sides rather than on one.
 *
 *   npm run bench            (BENCH_SECONDS=5 BENCH_ROUNDS=3 BENCH_CONNECTIONS=10 BENCH_ENGINES=pglite,postgres
 *                             BENCH_ROUTES=anonymous,session,token)
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../src/config/load.ts';
import { openDatabase, type Database, type Engine } from '../src/db/kysely.ts';
import { migrateUp } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { createSession, SESSION_COOKIE } from '../src/modules/auth/sessions.ts';
import { createOrg } from '../src/modules/orgs/repo.ts';
import { createToken } from '../src/modules/tokens/repo.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as Engine[];
const ROUTES = (process.env.BENCH_ROUTES ?? 'anonymous,session,token').split(',');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GOAL_THROUGHPUT = 0.65;
const GOAL_P99 = 2;

interface Measurement {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  /** CPU time of this process (both servers, PGlite) per request answered, in microseconds. */
  cpuUsPerRequest: number;
}

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const run = promisify(execFile);

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  non2xx: number;
}

/**
 * autocannon runs in a child process, for bare and full alike: in this process it would parse
 * every response on the servers' event loop, the full stack's larger headers costing the server
 * side. The child's CPU is not counted in cpuUsPerRequest.
 */
async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<AutocannonResult> {
  const args = [AUTOCANNON, '--json', '-c', String(CONNECTIONS), '-d', String(seconds)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const { stdout } = await run(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as AutocannonResult;
}

async function measure(url: string, headers: Record<string, string>): Promise<Measurement> {
  const before = process.cpuUsage();
  const result = await load(url, headers, SECONDS);
  const cpu = process.cpuUsage(before);
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, result.requests.total),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Warms both servers up (JIT, caches), then alternates them; each side's median round. */
async function compare(
  urls: [bare: string, full: string],
  headers: Record<string, string>,
): Promise<[bare: Measurement, full: Measurement]> {
  for (const url of urls) await load(url, headers, 1);
  const rounds: [Measurement[], Measurement[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++)
    for (const side of [0, 1] as const) rounds[side].push(await measure(urls[side], headers));
  const summary = (side: Measurement[]): Measurement => ({
    requestsPerSecond: median(side.map((m) => m.requestsPerSecond)),
    p99Ms: median(side.map((m) => m.p99Ms)),
    non2xx: side.reduce((sum, m) => sum + m.non2xx, 0),
    cpuUsPerRequest: median(side.map((m) => m.cpuUsPerRequest)),
  });
  return [summary(rounds[0]), summary(rounds[1])];
}

/**
 * What stands between a route and the goal. Both servers are CPU-bound in this process, so the
 * throughput ratio follows the CPU per request: the full stack may spend bare / GOAL_THROUGHPUT.
 */
function missedBecause(bare: Measurement, full: Measurement, p99: number): string {
  const reasons: string[] = [];
  if (full.non2xx) reasons.push(`${full.non2xx} answers not 2xx`);
  if (full.requestsPerSecond < GOAL_THROUGHPUT * bare.requestsPerSecond) {
    const budget = bare.cpuUsPerRequest / GOAL_THROUGHPUT;
    reasons.push(
      full.cpuUsPerRequest > budget
        ? `the stack's CPU, ${full.cpuUsPerRequest.toFixed(0)} µs per request where ${budget.toFixed(0)} would do`
        : 'waiting, not CPU (the database or the load from elsewhere)',
    );
  }
  if (p99 > GOAL_P99) reasons.push(`p99 ${p99.toFixed(2)}× bare`);
  return reasons.join('; ');
}

const BODY = { ok: true };
const Reply = { response: { 200: Type.Object({ ok: Type.Boolean() }) } };

/** The same three routes on a Fastify with nothing else. */
function bare(): FastifyInstance {
  const app = Fastify({ logger: false });
  for (const route of ['anonymous', 'session', 'token']) app.get(`/bench/${route}`, async () => BODY);
  return app;
}

async function open(engine: Engine, dataDir: string): Promise<{ db: Database; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openDatabase({ pgliteDir: path.join(dataDir, 'pgdata') });
    return { db, drop: () => db.close() };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const db = await openDatabase({ databaseUrl: DATABASE_URL, schema });
  return {
    db,
    drop: async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
      await db.close();
    },
  };
}

async function benchEngine(engine: Engine): Promise<boolean> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-bench-'));
  const { db, drop } = await open(engine, dataDir);
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // One client hammering from loopback must measure the stack, not the 429 path.
    RATE_LIMIT_MAX: '1000000000',
    APP_SECRET: 'a'.repeat(64),
    BACKUP_KEY: 'b'.repeat(64),
    ...(engine === 'postgres' ? { DATABASE_URL, DATABASE_SCHEMA: db.schema } : {}),
  };
  const full = await buildApp({
    config: loadConfig(env),
    db,
    jobs: { ping: async () => {} },
    logger: pino({ level: 'silent' }),
  });
  let met = true;
  try {
    await migrateUp(db);
    const config = loadConfig(env);
    full.get('/bench/anonymous', { config: { access: 'public' }, schema: Reply }, async () => BODY);
    full.get('/bench/session', { config: { access: 'signed-in' }, schema: Reply }, async () => BODY);
    full.get('/bench/token', { config: { access: 'token' }, schema: Reply }, async () => BODY);
    const userId = randomUUID();
    await db.kysely
      .insertInto('users')
      .values({
        id: userId,
        email: 'bench@example.test',
        terms_version: '2025-08',
        terms_accepted_at: new Date(),
        privacy_version: '2025-08',
        privacy_accepted_at: new Date(),
      })
      .execute();
    const session = await createSession(db, config, {
      userId,
      role: 'user',
      ip: '127.0.0.1',
      userAgent: 'bench',
    });
    const org = await createOrg(db, 'Bench', userId);
    const token = await createToken(db, {
      userId,
      orgId: org.id,
      name: 'bench',
      scopes: [],
      expiresAt: null,
    });
    const fullUrl = await full.listen({ port: 0, host: '127.0.0.1' });
    const plain = bare();
    const bareUrl = await plain.listen({ port: 0, host: '127.0.0.1' });
    const routes: [string, Record<string, string>][] = [
      ['anonymous', {}],
      ['session', { cookie: `${SESSION_COOKIE}=${session.token}` }],
      ['token', { authorization: `Bearer ${token.token}` }],
    ];
    console.log(
      `\n${engine}: GET /bench/<route>, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s, ` +
        `median round, loopback; load ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(
      '| route | bare req/s | full req/s | ratio | bare p99 ms | full p99 ms | p99 × | non-2xx | bare CPU µs/req | full CPU µs/req | CPU ratio | goal |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    try {
      for (const [route, headers] of routes.filter(([name]) => ROUTES.includes(name))) {
        const [b, f] = await compare([`${bareUrl}/bench/${route}`, `${fullUrl}/bench/${route}`], headers);
        const ratio = f.requestsPerSecond / b.requestsPerSecond;
        // autocannon reports whole milliseconds: a 0 ms bare p99 compares as 1 ms.
        const p99 = f.p99Ms / Math.max(1, b.p99Ms);
        const ok = ratio >= GOAL_THROUGHPUT && p99 <= GOAL_P99 && f.non2xx === 0;
        met &&= ok;
        console.log(
          `| ${route} | ${b.requestsPerSecond.toFixed(0)} | ${f.requestsPerSecond.toFixed(0)} | ${ratio.toFixed(2)} | ` +
            `${b.p99Ms} | ${f.p99Ms} | ${p99.toFixed(2)} | ${f.non2xx} | ` +
            `${b.cpuUsPerRequest.toFixed(0)} | ${f.cpuUsPerRequest.toFixed(0)} | ${(b.cpuUsPerRequest / f.cpuUsPerRequest).toFixed(2)} | ` +
            `${ok ? 'met' : `MISSED: ${missedBecause(b, f, p99)}`} |`,
        );
      }
    } finally {
      await plain.close();
    }
  } finally {
    await full.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return met;
}

const results = [];
for (const engine of ENGINES) results.push(await benchEngine(engine));
console.log(
  `\ngoals (≥ ${GOAL_THROUGHPUT} of bare throughput, p99 ≤ ${GOAL_P99}× bare, every route on every engine): ` +
    (results.every(Boolean) ? 'met' : 'MISSED'),
);
