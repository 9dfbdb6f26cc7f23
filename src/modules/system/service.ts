import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/kysely.ts';
import { ping } from '../../db/kysely.ts';
import type { Jobs } from '../../jobs/boss.ts';

export type ComponentStatus = 'ok' | 'failed';

export interface Readiness {
  ready: boolean;
  components: { database: ComponentStatus; queue: ComponentStatus };
}

/** A probe that hangs must not hang /readyz: a slow dependency counts as a failed one. */
const PROBE_TIMEOUT_MS = 2000;

async function probe(
  name: string,
  check: () => Promise<void>,
  log: FastifyBaseLogger,
): Promise<ComponentStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} probe timed out after ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    log.warn({ err, component: name }, 'readiness probe failed');
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(
  db: Database,
  jobs: Pick<Jobs, 'ping'>,
  log: FastifyBaseLogger,
): Promise<Readiness> {
  const [database, queue] = await Promise.all([
    probe('database', () => ping(db), log),
    probe('queue', () => jobs.ping(), log),
  ]);
  return { ready: database === 'ok' && queue === 'ok', components: { database, queue } };
}
