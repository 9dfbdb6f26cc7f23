import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: never shed this route (liveness probes). */
    loadShedding?: boolean;
  }
}

export interface LoadSheddingOptions {
  /** MAX_EVENT_LOOP_DELAY_MS */
  maxEventLoopDelayMs: number;
  /** MAX_RSS_BYTES; 0 = off */
  maxRssBytes: number;
  /** How often pressure is sampled (tests shorten it). */
  sampleIntervalMs?: number;
}

export const SHED_RETRY_AFTER_S = 10;
/** under-pressure's own default. */
const DEFAULT_SAMPLE_INTERVAL_MS = 1000;

function refuse(reply: FastifyReply): never {
  reply.header('retry-after', String(SHED_RETRY_AFTER_S));
  throw new AppError('unavailable');
}

/**
 * Answers 503 + Retry-After instead of queueing work the process cannot keep up with, so a load
 * balancer moves traffic elsewhere. /healthz is exempt: a liveness probe failing under load
 * would get a busy but healthy process restarted, which only adds load. /readyz is shed, which is
 * what takes the process out of rotation.
 */
async function loadSheddingPlugin(app: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  // The first sample after start-up averages the synchronous stretch of opening the database and
  // building the app: a cold start, not an overload, and one that kept /readyz at 503 for a
  // sample interval after listening. Event-loop delay counts from the second interval after ready.
  const sampleIntervalMs = options.sampleIntervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
  let measuringFrom = Infinity;
  app.addHook('onReady', async () => {
    measuringFrom = performance.now() + 2 * sampleIntervalMs;
  });
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxRssBytes: options.maxRssBytes,
    retryAfter: SHED_RETRY_AFTER_S,
    sampleInterval: sampleIntervalMs,
    pressureHandler: async (
      request: FastifyRequest,
      reply: FastifyReply,
      type: string,
      value: number | undefined,
    ) => {
      if (request.routeOptions.config.loadShedding === false) return;
      // under-pressure reports Infinity when its sampler ran before the delay histogram got any
      // sample (right after a long synchronous stretch such as PGlite starting): no measurement,
      // not a measured overload. A real stall shows up as a finite delay on the next sample.
      if (type === 'eventLoopDelay' && (!Number.isFinite(value) || performance.now() < measuringFrom)) return;
      request.log.warn({ pressure: type, value }, 'shedding load');
      refuse(reply);
    },
  });

  // Replaces fastify's own closing fast path (return503OnClosing), whose plain body skips our
  // envelope and headers: during a drain, requests on kept-alive connections get 503 + close.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (!closing || request.routeOptions.config.loadShedding === false) return done();
    reply.header('connection', 'close');
    refuse(reply);
  });
}

export default fp(loadSheddingPlugin, { name: 'vioscan-load-shedding', fastify: '5.x' });
