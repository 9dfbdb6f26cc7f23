import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { safeEqual } from '../../modules/auth/crypto.ts';
import { metrics, refreshDatabaseMetrics, registry } from '../../ops/metrics.ts';
import { errorResponses } from '../schemas.ts';

export interface MetricsPluginOptions {
  config: Pick<ResolvedConfig, 'metricsToken' | 'backupRpoHours'>;
  db: Database;
}

/**
 * Request duration histograms (onResponse, by route pattern so ids in URLs do not explode the
 * label set) and `GET /metrics` in the Prometheus text format. The route is `public` for the
 * identity layer because it carries its own credential, METRICS_TOKEN as a Bearer token; without
 * the variable it does not exist (404), with a wrong token it is 401.
 */
async function metricsPlugin(app: FastifyInstance, options: MetricsPluginOptions): Promise<void> {
  const { config, db } = options;
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequestDuration.observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics (Bearer METRICS_TOKEN)',
        security: [{ metricsToken: [] }],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!config.metricsToken) throw new AppError('not_found');
      const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !safeEqual(given, config.metricsToken)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('unauthorized');
      }
      try {
        await refreshDatabaseMetrics(db, config);
      } catch (error) {
        // The process metrics are still worth serving while the database is down.
        request.log.warn({ err: error, scope: 'ops' }, 'database metrics not refreshed');
      }
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}

export default fp(metricsPlugin, { name: 'vioscan-metrics', fastify: '5.x' });
