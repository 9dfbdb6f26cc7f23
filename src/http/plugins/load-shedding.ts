import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: never shed this route (liveness probes). */
    loadShedding?: boolean;
  }
}

export interface LoadSheddingOptions {
  /** MAX_EVENT_LOOP_DELAY_MS; 0 = off */
  maxEventLoopDelayMs: number;
  /** MAX_RSS_BYTES; 0 = off */
  maxRssBytes: number;
  /** How often pressure is sampled (tests shorten it). */
  sampleIntervalMs?: number;
}

export const SHED_RETRY_AFTER_S = 10;
const DEFAULT_SAMPLE_INTERVAL_MS = 1000;
/** The delay histogram's resolution, which its mean always includes (subtracted as a baseline). */
const RESOLUTION_MS = 10;

interface Pressure {
  type: 'eventLoopDelay' | 'rssBytes';
  value: number;
}

/**
 * Samples the event-loop delay (mean over the interval) and the resident memory every interval,
 * so a request only reads the last verdict. The first sample after start-up averages the
 * synchronous stretch of opening the database and building the app: a cold start, not an
 * overload, and one that kept /readyz at 503 for an interval after listening. So the delay counts
 * from the second interval after `start()`; an interval without any delay sample (right after a
 * long synchronous stretch) is no measurement either.
 */
class PressureGauge {
  /** What the last sample found over its threshold; undefined: none. */
  pressure: Pressure | undefined;
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly timer: NodeJS.Timeout;
  private measuringFrom = Infinity;

  constructor(
    private readonly options: LoadSheddingOptions,
    private readonly intervalMs: number,
  ) {
    this.histogram.enable();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  start(): void {
    this.measuringFrom = performance.now() + 2 * this.intervalMs;
  }

  private sample(): void {
    const delayMs = this.histogram.mean / 1e6 - RESOLUTION_MS;
    this.histogram.reset();
    const { maxEventLoopDelayMs, maxRssBytes } = this.options;
    const rss = maxRssBytes > 0 ? process.memoryUsage.rss() : 0;
    if (maxEventLoopDelayMs > 0 && delayMs > maxEventLoopDelayMs && performance.now() >= this.measuringFrom)
      this.pressure = { type: 'eventLoopDelay', value: delayMs };
    else if (maxRssBytes > 0 && rss > maxRssBytes) this.pressure = { type: 'rssBytes', value: rss };
    else this.pressure = undefined;
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

function unavailable(reply: FastifyReply): AppError {
  reply.header('retry-after', String(SHED_RETRY_AFTER_S));
  return new AppError('unavailable');
}

/**
 * Answers 503 + Retry-After instead of queueing work the process cannot keep up with, so a load
 * balancer moves traffic elsewhere. /healthz is exempt: a liveness probe failing under load
 * would get a busy but healthy process restarted, which only adds load. /readyz is shed, which is
 * what takes the process out of rotation. One hook, reading two flags, serves pressure and
 * shutdown alike.
 */
async function loadSheddingPlugin(app: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  const gauge = new PressureGauge(options, options.sampleIntervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS);
  app.addHook('onReady', async () => gauge.start());
  app.addHook('onClose', async () => gauge.stop());

  // Replaces fastify's own closing fast path (return503OnClosing), whose plain body skips our
  // envelope and headers: during a drain, requests on kept-alive connections get 503 + close.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', (request, reply, done) => {
    const pressure = gauge.pressure;
    if (!closing && !pressure) return done();
    if (request.routeOptions.config.loadShedding === false) return done();
    if (closing) reply.header('connection', 'close');
    else request.log.warn({ pressure: pressure!.type, value: pressure!.value }, 'shedding load');
    done(unavailable(reply));
  });
}

export default fp(loadSheddingPlugin, { name: 'vioscan-load-shedding', fastify: '5.x' });
