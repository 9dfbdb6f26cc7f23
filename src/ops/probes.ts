import { X509Certificate } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { ResolvedConfig } from '../config/load.ts';
import { ping, type Database } from '../db/kysely.ts';
import type { ProbeStatus } from '../db/types.ts';
import { backupHealth } from './backup/health.ts';
import { HEARTBEAT_STALE_S } from './heartbeat.ts';
import { queueStats } from './metrics.ts';

/**
 * The monitor's probes (src/jobs/monitor.ts). Each answers ok | degraded | down with a short
 * operator-facing detail; thresholds sit beside the probe that uses them.
 */
export interface ProbeResult {
  component: string;
  status: ProbeStatus;
  detail: string;
}

/** Components in the order the status page lists them; the certificate only with native TLS. */
export const COMPONENTS = [
  'web',
  'database',
  'queue',
  'workers',
  'backups',
  'restore-drill',
  'disk',
  'certificate',
];

/** Jobs due this long without a worker picking them up: the queue is lagging / stalled. */
export const QUEUE_DEGRADED_S = 120;
export const QUEUE_DOWN_S = 900;
/** A weekly drill that has not run for this long is overdue. */
export const DRILL_OVERDUE_S = 8 * 86_400;
export const DISK_DEGRADED_FREE = 0.1;
export const DISK_DOWN_FREE = 0.03;
export const CERT_DEGRADED_DAYS = 21;
export const CERT_DOWN_DAYS = 7;
const PROBE_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} timed out after ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const result = (component: string, status: ProbeStatus, detail: string): ProbeResult => ({
  component,
  status,
  detail,
});

/** Slower than this, the web tier counts as degraded. */
export const WEB_DEGRADED_MS = 2_000;

/**
 * The web tier as a visitor meets it: GET BASE_URL/readyz over HTTP(S), from the worker. The other
 * probes read the database, so without this one a dead web process looked healthy.
 */
export async function probeWeb(config: Pick<ResolvedConfig, 'baseUrl'>): Promise<ProbeResult> {
  const url = new URL('/readyz', config.baseUrl);
  // undici loads with the first probe (a worker job), not with the web routes that import this file.
  const { request } = await import('undici');
  const started = Date.now();
  const response = await request(url, {
    headersTimeout: PROBE_TIMEOUT_MS,
    bodyTimeout: PROBE_TIMEOUT_MS,
    headers: { 'user-agent': 'VIOscan-monitor' },
  });
  await response.body.dump();
  const ms = Date.now() - started;
  const detail = `${url.origin}/readyz answered ${response.statusCode} in ${ms} ms`;
  if (response.statusCode === 503) return result('web', 'degraded', detail);
  if (response.statusCode !== 200) return result('web', 'down', detail);
  return result('web', ms > WEB_DEGRADED_MS ? 'degraded' : 'ok', detail);
}

export async function probeDatabase(db: Database): Promise<ProbeResult> {
  const started = Date.now();
  await withTimeout(ping(db), 'database ping');
  return result('database', 'ok', `select 1 in ${Date.now() - started} ms`);
}

export async function probeQueue(db: Database): Promise<ProbeResult> {
  const queues = await withTimeout(queueStats(db), 'queue query');
  const worst = queues.reduce((a, q) => (q.oldestWaitingSeconds > a.oldestWaitingSeconds ? q : a), {
    queue: '',
    oldestWaitingSeconds: 0,
  });
  const lag = Math.round(worst.oldestWaitingSeconds);
  const detail = lag ? `oldest due job waits ${lag} s (${worst.queue})` : 'no job is waiting';
  return result('queue', lag >= QUEUE_DOWN_S ? 'down' : lag >= QUEUE_DEGRADED_S ? 'degraded' : 'ok', detail);
}

export async function probeWorkers(db: Database): Promise<ProbeResult> {
  const rows = await db.kysely
    .selectFrom('worker_heartbeats')
    .select(['worker_id', sql<number>`extract(epoch from now() - beat_at)::float8`.as('age')])
    .where('beat_at', '>', sql<Date>`now() - interval '1 day'`)
    .execute();
  const alive = rows.filter((r) => Number(r.age) <= HEARTBEAT_STALE_S).length;
  const stale = rows.length - alive;
  if (alive === 0) return result('workers', 'down', `no job worker heartbeat in ${HEARTBEAT_STALE_S} s`);
  if (stale > 0) return result('workers', 'degraded', `${alive} alive, ${stale} silent`);
  return result('workers', 'ok', `${alive} alive`);
}

export async function probeBackups(
  db: Database,
  config: Pick<ResolvedConfig, 'backupRpoHours'>,
): Promise<ProbeResult[]> {
  const health = await backupHealth(db, config);
  const rpo = health.rpoTargetSeconds;
  const age = health.ageSeconds;
  const backups =
    age === null
      ? result('backups', 'degraded', 'no backup has been taken yet')
      : result(
          'backups',
          age > 2 * rpo ? 'down' : age > rpo ? 'degraded' : 'ok',
          `last backup ${Math.round(age / 60)} min ago, RPO ${rpo / 3600} h`,
        );
  const drill = health.lastDrill;
  const drillAge = drill ? (Date.now() - drill.at.getTime()) / 1000 : null;
  const restore = !drill
    ? result('restore-drill', 'degraded', 'no restore drill has run yet')
    : !drill.ok
      ? result('restore-drill', 'down', `the last drill failed (${drill.at.toISOString()})`)
      : result(
          'restore-drill',
          drillAge! > DRILL_OVERDUE_S ? 'degraded' : 'ok',
          `last drill ${drill.at.toISOString()} passed, RTO ${Math.round(drill.rtoSeconds)} s`,
        );
  return [backups, restore];
}

export async function probeDisk(config: Pick<ResolvedConfig, 'dataDir' | 'backupDir'>): Promise<ProbeResult> {
  const dirs = [...new Set([path.resolve(config.dataDir), path.resolve(config.backupDir)])];
  let worst: ProbeResult = result('disk', 'ok', '');
  const parts: string[] = [];
  for (const dir of dirs) {
    let stats;
    try {
      stats = await statfs(dir);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      // A directory not created yet (no backup so far) is not a disk problem.
      if (code === 'ENOENT') continue;
      return result('disk', 'down', `${dir}: ${code}`);
    }
    const free = stats.bavail / stats.blocks;
    parts.push(`${dir}: ${(free * 100).toFixed(1)}% free`);
    const status: ProbeStatus =
      free < DISK_DOWN_FREE ? 'down' : free < DISK_DEGRADED_FREE ? 'degraded' : 'ok';
    if (status === 'down' || (status === 'degraded' && worst.status === 'ok'))
      worst = result('disk', status, '');
  }
  return { ...worst, detail: parts.join('; ') || 'no directory to check yet' };
}

export async function probeCertificate(
  config: Pick<ResolvedConfig, 'tlsCertFile'>,
  now = new Date(),
): Promise<ProbeResult | undefined> {
  if (!config.tlsCertFile) return undefined;
  // The first certificate of the chain file is the one the server presents.
  const cert = new X509Certificate(await readFile(config.tlsCertFile));
  const days = (new Date(cert.validTo).getTime() - now.getTime()) / 86_400_000;
  const detail = `expires ${new Date(cert.validTo).toISOString()} (${Math.floor(days)} days)`;
  return result(
    'certificate',
    days < CERT_DOWN_DAYS ? 'down' : days < CERT_DEGRADED_DAYS ? 'degraded' : 'ok',
    detail,
  );
}

/** Runs every probe; one that throws is `down` with its message, and the others still run. */
export async function runProbes(db: Database, config: ResolvedConfig): Promise<ProbeResult[]> {
  const guarded = async (component: string, run: () => Promise<ProbeResult | ProbeResult[] | undefined>) => {
    try {
      const r = await run();
      return r === undefined ? [] : [r].flat();
    } catch (error) {
      return [result(component, 'down', (error as Error).message.slice(0, 300))];
    }
  };
  const all = await Promise.all([
    guarded('web', () => withTimeout(probeWeb(config), 'web request')),
    guarded('database', () => probeDatabase(db)),
    guarded('queue', () => probeQueue(db)),
    guarded('workers', () => probeWorkers(db)),
    guarded('backups', () => probeBackups(db, config)),
    guarded('disk', () => probeDisk(config)),
    guarded('certificate', () => probeCertificate(config)),
  ]);
  return all.flat();
}
