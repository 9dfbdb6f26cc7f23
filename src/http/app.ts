import type { Server } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/load.ts';
import type { Database } from '../db/kysely.ts';
import type { Jobs } from '../jobs/boss.ts';
import { loggerOptions } from '../log.ts';
import { analyticsScript } from '../modules/privacy/analytics.ts';
import type { ModuleContext } from './module.ts';
import cors from './plugins/cors.ts';
import errors, { clientErrorHandler } from './plugins/errors.ts';
import { appIndex } from '../modules/web/routes.ts';
import type { PublicScanOptions } from '../modules/public-scan/service.ts';
import loadShedding from './plugins/load-shedding.ts';
import metricsPlugin from './plugins/metrics.ts';
import openApi from './plugins/openapi.ts';
import privateResponses from './plugins/private-responses.ts';
import rateLimit from './plugins/rate-limit.ts';
import requestLog, { genReqId } from './plugins/request-log.ts';
import securityHeaders from './plugins/security-headers.ts';
import csrf from './plugins/csrf.ts';
import session from './plugins/session.ts';
import validation from './plugins/validation.ts';
import { routeModules } from './routes.ts';
import { httpsOptions } from './server.ts';
import { trustProxySetting } from './trust-proxy.ts';
import { lazyCompilers } from './lazy-compilers.ts';
import { requestLogger } from './request-logger.ts';
import { VERSION } from '../version.ts';

export interface AppDeps {
  config: ResolvedConfig;
  db: Database;
  jobs: Pick<Jobs, 'ping'>;
  logger?: Logger;
  version?: string;
  /** Tests only: the public scan store's clock (to expire a report) or scanner. */
  publicScans?: Partial<PublicScanOptions>;
}

/**
 * Node's default (16 KiB). Set explicitly because the 431 answer for anything larger is part of
 * our contract (docs/http.md) and is produced by clientErrorHandler, not by a route.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Tests shorten the load-shedding sample interval; nothing else should need this. */
export interface BuildOptions {
  pressureSampleIntervalMs?: number;
}

/**
 * Builds the fastify app with every cross-cutting plugin and route module, without listening.
 * Not yet `ready()`: callers (tests) may still `app.register(...)` routes before injecting.
 */
export async function buildApp(deps: AppDeps, build: BuildOptions = {}): Promise<FastifyInstance> {
  const { config, db, jobs } = deps;
  const tls = httpsOptions(config);
  const options = {
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: loggerOptions(config.logLevel) }),
    genReqId,
    // request-log.ts writes the one access-log line itself, from plain values.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
    requestIdHeader: false,
    trustProxy: trustProxySetting(config.trustProxy),
    bodyLimit: config.bodyLimit,
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
    schemaController: { compilersFactory: lazyCompilers() },
    return503OnClosing: false,
    clientErrorHandler,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    ...(tls ? { https: { ...tls, maxHeaderSize: MAX_HEADER_BYTES } } : {}),
  } as FastifyHttpOptions<Server>;
  const app = Fastify(options).withTypeProvider<TypeBoxTypeProvider>();

  // Order matters: hooks run in registration order, so the id and security headers are on the
  // reply before anything (shedding, rate limit, parsing) can fail the request.
  await app.register(requestLog);
  await app.register(securityHeaders, { analyticsOrigin: analyticsScript(config)?.origin });
  await app.register(cors, { origins: config.corsOrigins });
  await app.register(loadShedding, {
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    maxRssBytes: config.maxRssBytes,
    ...(build.pressureSampleIntervalMs ? { sampleIntervalMs: build.pressureSampleIntervalMs } : {}),
  });
  await app.register(validation);
  await app.register(openApi, { version: deps.version ?? VERSION, baseUrl: config.baseUrl });
  await app.register(rateLimit, { db, max: config.rateLimitMax, windowS: config.rateLimitWindowS });
  await app.register(errors, { notFoundPage: () => appIndex(config) });
  // Identity (issue 4): authentication, the declared access of every route, CSRF.
  await app.register(session, { config, db });
  await app.register(privateResponses);
  await app.register(csrf, { config });
  await app.register(metricsPlugin, { config, db });

  const context: ModuleContext = {
    config,
    db,
    jobs,
    version: deps.version ?? VERSION,
    ...(deps.publicScans && { publicScans: deps.publicScans }),
  };
  for (const module of routeModules) app.register(module, context);
  return app as unknown as FastifyInstance;
}
