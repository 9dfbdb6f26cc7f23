import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Role } from './runtime.ts';

export interface SupervisorOptions {
  /** How many children of each role to keep alive. */
  children: { role: Role; count: number }[];
  env: Record<string, string>;
  shutdownTimeoutMs: number;
  logger: Logger;
  /** Called after every child has exited on shutdown. */
  onExit?: () => void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;
/** A child that lived this long is considered healthy again: its next crash restarts quickly. */
const HEALTHY_AFTER_MS = 30_000;

/**
 * The process manager (node:cluster): keeps the configured children running, replaces a crashed
 * one with exponential backoff so a crash loop does not spin, and on SIGTERM/SIGINT asks every
 * child to drain and exit, then exits 0.
 */
export function supervise(options: SupervisorOptions): void {
  const log = options.logger.child({ scope: 'ops' });
  let stopping = false;
  const failures = new Map<string, number>();

  function spawn(role: Role, slot: number): void {
    const key = `${role}:${slot}`;
    const started = Date.now();
    const worker: Worker = cluster.fork({ ...options.env, VIOSCAN_ROLE: role });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      const lived = Date.now() - started;
      const streak = lived > HEALTHY_AFTER_MS ? 0 : (failures.get(key) ?? 0) + 1;
      failures.set(key, streak);
      const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.max(0, streak - 1));
      log.error(
        { role, pid: worker.process.pid, code, signal, restartInMs: delay },
        'child exited; restarting',
      );
      setTimeout(() => !stopping && spawn(role, slot), delay);
    });
  }

  for (const { role, count } of options.children) for (let i = 0; i < count; i++) spawn(role, i);

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining children');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    for (const w of workers) w.send({ type: 'shutdown' });
    const force = setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
    }, options.shutdownTimeoutMs + 2_000);
    force.unref();
    let remaining = workers.filter((w) => !w.isDead()).length;
    const done = () => {
      clearTimeout(force);
      options.onExit?.();
      log.info('stopped');
      process.exit(0);
    };
    if (remaining === 0) return done();
    for (const w of workers) w.once('exit', () => --remaining === 0 && done());
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
