import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { Mutex } from './mutex.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './types.ts';

export type Engine = 'pglite' | 'postgres';

export interface SqlResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/** Raw SQL for libraries that bring their own statements (pg-boss). Multi-statement text is allowed without values. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
}

export interface Database {
  engine: Engine;
  schema: string;
  /** Schema of the pg-boss tables. */
  jobSchema: string;
  kysely: Kysely<DB>;
  executor: SqlExecutor;
  /** The embedded engine's instance, for its data-directory dump; hold a Kysely connection while using it. */
  pglite?: PGlite;
  /** PostgreSQL only: this process's pool, for the metrics (total, idle and waiting clients). */
  poolStats?: () => { total: number; idle: number; waiting: number };
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel` until close. Best effort: a
   * notification sent while the listening connection is being replaced is lost, so a listener
   * must only save time that a poll would otherwise cost.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite files; undefined = in memory. */
  pgliteDir?: string | undefined;
  /** Start PGlite from this data-directory dump (`dumpDataDir`) instead of an empty cluster. */
  pgliteLoad?: Blob | File | undefined;
  schema?: string;
  poolSize?: number;
}

export function jobSchemaFor(schema: string): string {
  return schema === 'public' ? 'pgboss' : `${schema}_jobs`;
}

type PgResult = { rows: Record<string, unknown>[]; rowCount?: number | null; affectedRows?: number };

function lastResult(result: PgResult | PgResult[]): SqlResult {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  if (!last) return { rows: [], rowCount: 0 };
  return { rows: last.rows ?? [], rowCount: last.rowCount ?? last.affectedRows ?? last.rows?.length ?? 0 };
}

async function openPostgres(url: string, schema: string, poolSize: number): Promise<Database> {
  // Every connection sees our schema first, so one code path serves the default and a per-test schema.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c search_path=${schema}` });
  pool.on('error', () => {}); // an idle client dropped by the server is replaced on next use
  // pg-pool listens for errors only on idle clients: a socket reset while a client is checked out
  // (mid-query) would be an unhandled 'error' event and kill the process. The query itself
  // still fails, and the pool discards the dead client when it is released (test:resilience).
  pool.on('connect', (client) => client.on('error', () => {}));
  // `create schema if not exists` checks CREATE on the database before it looks: the application
  // role (docs/trust.md "Database roles") lacks it, so create only a schema that is missing.
  const existing = await pool.query('select 1 from pg_namespace where nspname = $1', [schema]);
  if (!existing.rowCount) await pool.query(`create schema if not exists "${schema}"`);
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<() => Promise<void>>();
  return {
    engine: 'postgres',
    schema,
    jobSchema: jobSchemaFor(schema),
    kysely,
    executor: {
      executeSql: async (text, values) => lastResult((await pool.query(text, values)) as unknown as PgResult),
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    listen: async (channel, onNotify) => {
      listeners.add(await listenPostgres(url, channel, onNotify));
    },
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      listeners.clear();
      await kysely.destroy();
    },
  };
}

const RELISTEN_MS = 1000;

/**
 * LISTEN holds a session: a connection of its own, outside the pool, so it takes none of the
 * pool's clients. A lost connection is replaced after RELISTEN_MS; answers how to stop listening.
 */
async function listenPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const again = () => {
    retry = setTimeout(() => connect().catch(() => !stopped && again()), RELISTEN_MS);
  };
  const replace = (dead: pg.Client) => {
    if (dead !== client || stopped) return;
    client = undefined;
    dead.end().catch(() => undefined);
    again();
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (n) => onNotify(n.payload ?? ''));
    next.on('error', () => replace(next));
    next.on('end', () => replace(next));
    try {
      await next.connect();
      await next.query(`listen "${channel}"`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) await next.end();
    else client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

/**
 * PGlite's emulated mmap zeroes the whole shared memory at every start, in WebAssembly that V8 has
 * not optimised yet: initdb's 128MB of buffers (145MB in all) was the largest single cost of a
 * restart. One process and one session need far fewer; the operating system's file cache still
 * holds the data files behind them.
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

async function openPglite(dir: string | undefined, schema: string, load?: Blob | File): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create({
    ...(dir ? { dataDir: path.resolve(dir) } : {}),
    ...(load ? { loadDataDir: load } : {}),
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  const mutex = new Mutex();
  await pglite.exec(`create schema if not exists "${schema}"; set search_path to "${schema}"`);
  const kysely = new Kysely<DB>({ dialect: new PGliteDialect(pglite, mutex) });
  let closed = false;
  return {
    engine: 'pglite',
    schema,
    jobSchema: jobSchemaFor(schema),
    kysely,
    pglite,
    executor: {
      executeSql: (text, values) =>
        mutex.run(async () =>
          values && values.length
            ? lastResult((await pglite.query(text, values)) as PgResult)
            : lastResult((await pglite.exec(text)) as PgResult[]),
        ),
    },
    // PGlite has one session, which our own transactions hold (the mutex): a LISTEN sent in the
    // middle of one would end with it.
    listen: async (channel, onNotify) => {
      await mutex.run(() => pglite.listen(channel, onNotify));
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await kysely.destroy();
      await mutex.run(() => pglite.close());
    },
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name ${JSON.stringify(schema)}`);
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, schema, options.poolSize ?? 10)
    : openPglite(options.pgliteDir, schema, options.pgliteLoad);
}

export async function ping(db: Database): Promise<void> {
  await sql`select 1`.execute(db.kysely);
}
