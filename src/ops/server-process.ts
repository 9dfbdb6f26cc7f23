import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.ts';
import { listen, type Listening } from '../http/server.ts';
import { VERSION } from '../version.ts';
import { openRuntime, type Role, type Runtime } from './runtime.ts';

function describeEngine(config: ResolvedConfig): string {
  return config.engine === 'pglite'
    ? `embedded database (PGlite) in ${config.dataDir}`
    : `PostgreSQL (schema ${config.databaseSchema})`;
}

/**
 * One server process: web, worker or both. Stops on SIGTERM/SIGINT or a supervisor's
 * `shutdown` message: stop accepting, let in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS),
 * stop the job consumers, close the database, exit 0.
 */
export async function runServerProcess(config: ResolvedConfig, logger: Logger, role: Role): Promise<void> {
  // The HTTP app's modules load while the database opens: PGlite compiles its WebAssembly on
  // other threads and waits on files meanwhile, time the main thread spends here instead.
  const appModule = role === 'worker' ? undefined : import('../http/app.ts');
  appModule?.catch(() => undefined); // a failed open below is the error to report
  const runtime: Runtime = await openRuntime(
    config,
    logger,
    role,
    `vioscan ${role === 'worker' ? 'worker' : 'serve'}`,
  );
  let server: Listening | undefined;
  if (appModule) {
    const { buildApp } = await appModule;
    const app = await buildApp({ config, db: runtime.db, jobs: runtime.jobs, logger, version: VERSION });
    server = await listen(app, config);
    logger.info(
      { scope: 'ops', url: server.url, engine: config.engine, pid: process.pid },
      `VIOscan listening on ${server.url} (public URL ${config.baseUrl}) using the ${describeEngine(config)}`,
    );
  } else {
    logger.info(
      { scope: 'ops', engine: config.engine, pid: process.pid },
      `VIOscan worker running on the ${describeEngine(config)}`,
    );
  }
  await runtime.startConsumers();

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ scope: 'ops', reason }, 'draining');
    const force = setTimeout(() => {
      logger.error({ scope: 'ops' }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      await server?.close();
      await runtime.close();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('message', (msg: { type?: string }) => msg?.type === 'shutdown' && void stop('supervisor'));
  process.send?.({ type: 'ready', role });
}
