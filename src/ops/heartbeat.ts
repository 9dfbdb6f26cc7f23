import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/kysely.ts';

export const HEARTBEAT_INTERVAL_MS = 30_000;
/** A worker silent for this long (four missed beats) counts as gone. */
export const HEARTBEAT_STALE_S = 120;

/**
 * Job worker processes write a heartbeat row on a timer; the monitor (src/ops/probes.ts) turns
 * silent ones into a `workers` state. A failed beat is logged and retried on the next tick.
 */
export async function startHeartbeat(
  db: Database,
  role: string,
  logger: Logger,
  intervalMs = HEARTBEAT_INTERVAL_MS,
): Promise<{ workerId: string; stop(): Promise<void> }> {
  const workerId = randomUUID();
  const host = hostname();
  const beat = () =>
    db.kysely
      .insertInto('worker_heartbeats')
      .values({ worker_id: workerId, role, hostname: host, pid: process.pid })
      .onConflict((c) => c.column('worker_id').doUpdateSet({ beat_at: sql<Date>`now()` }))
      .execute();
  await beat();
  const timer = setInterval(() => {
    beat().catch((error: unknown) =>
      logger.warn({ scope: 'ops', err: error }, 'worker heartbeat not written'),
    );
  }, intervalMs);
  timer.unref();
  return {
    workerId,
    stop: async () => {
      clearInterval(timer);
      // A worker that stops cleanly leaves no silent row behind to alert on.
      await db.kysely
        .deleteFrom('worker_heartbeats')
        .where('worker_id', '=', workerId)
        .execute()
        .catch(() => {});
    },
  };
}
