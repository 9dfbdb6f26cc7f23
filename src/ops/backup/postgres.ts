import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import pg from 'pg';
import { databaseFacts, quoteIdent, type DatabaseFacts, type Query } from './inspect.ts';
import { BackupError } from './errors.ts';

const run = promisify(execFile);

/**
 * pg_dump/pg_restore take the URL without its password, which travels in PGPASSWORD instead:
 * argv is visible to every user of the machine (ps), the environment is not.
 */
export function toolConnection(databaseUrl: string): {
  url: string;
  env: NodeJS.ProcessEnv;
  password: string;
} {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { url: url.toString(), env, password };
}

function hideSecret(text: string, secret: string): string {
  const trimmed = text.trim().slice(-2000);
  return secret ? trimmed.split(secret).join('[redacted]') : trimmed;
}

export async function toolVersion(tool: 'pg_dump' | 'pg_restore'): Promise<string> {
  try {
    return (await run(tool, ['--version'])).stdout.trim();
  } catch {
    throw new BackupError(
      'backup_tool_failed',
      `${tool} was not found on PATH; install the PostgreSQL client (Debian: apt-get install postgresql-client)`,
    );
  }
}

function clientQuery(client: pg.Client): Query {
  return async (text, values) => (await client.query(text, values)).rows as Record<string, unknown>[];
}

export interface PostgresDump {
  facts: DatabaseFacts;
  stream: Readable;
  /** Resolves when pg_dump has exited successfully; rejects with its error output otherwise. */
  done: Promise<void>;
  release(): Promise<void>;
}

/**
 * Counts rows and dumps inside one exported snapshot, so the manifest's counts describe exactly
 * the data in the dump even while the service keeps writing.
 */
export async function dumpPostgres(databaseUrl: string, schemas: string[]): Promise<PostgresDump> {
  await toolVersion('pg_dump');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const [row] = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows;
    const facts = await databaseFacts(clientQuery(client), schemas[0]!);
    const conn = toolConnection(databaseUrl);
    const args = ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${row!.id}`];
    for (const schema of schemas) args.push(`--schema=${schema}`);
    args.push(`--dbname=${conn.url}`);
    const child = spawn('pg_dump', args, { env: conn.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(
              new BackupError('backup_tool_failed', `pg_dump failed: ${hideSecret(stderr, conn.password)}`),
            ),
      );
    });
    done.catch(() => {});
    return {
      facts,
      stream: child.stdout,
      done,
      release: async () => {
        await client.query('commit').catch(() => {});
        await client.end();
      },
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Restores a custom-format dump file in one transaction: either everything lands or nothing does. */
export async function pgRestore(databaseUrl: string, file: string): Promise<void> {
  await toolVersion('pg_restore');
  const conn = toolConnection(databaseUrl);
  const args = [
    '--no-owner',
    '--no-privileges',
    '--no-comments',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${conn.url}`,
    file,
  ];
  try {
    await run('pg_restore', args, { env: conn.env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new BackupError('backup_tool_failed', `pg_restore failed: ${hideSecret(stderr, conn.password)}`);
  }
}

export async function withClient<T>(databaseUrl: string, fn: (query: Query) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(clientQuery(client));
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A throw-away database on the same server: pg_restore cannot rename schemas, so a drill
 * restores under the original schema names into a database of its own.
 */
export async function createScratchDatabase(databaseUrl: string): Promise<ScratchDatabase> {
  const name = `vioscan_drill_${randomBytes(6).toString('hex')}`;
  await withClient(databaseUrl, (query) => query(`create database ${quoteIdent(name)}`));
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  // The dump creates its schemas itself, public included (pg_dump 15 emits CREATE SCHEMA public).
  await withClient(url.toString(), (query) => query('drop schema if exists public cascade'));
  return {
    url: url.toString(),
    name,
    drop: () =>
      withClient(databaseUrl, (query) =>
        query(`drop database if exists ${quoteIdent(name)} with (force)`),
      ).then(() => undefined),
  };
}
