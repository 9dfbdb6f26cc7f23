import { migrations } from '../../db/migrations/index.ts';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { runningSbom } from '../../ops/sbom.ts';
import { requirePermission } from '../auth/permissions.ts';
import { Health, OpenApiDocument, Ready, Sbom, Version } from './schema.ts';
import { checkReadiness } from './service.ts';

const schemaVersion = Object.keys(migrations).at(-1) ?? 'none';

const systemRoutes: RouteModule = async (app, { db, jobs, version }) => {
  // Liveness only: no database, no rate limit, never shed (see load-shedding.ts).
  app.get(
    '/healthz',
    {
      config: { access: 'public', rateLimit: false, loadShedding: false },
      schema: {
        tags: ['system'],
        summary: 'The process is alive',
        response: { 200: Health, ...errorResponses },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Database and job queue are reachable',
        response: { 200: Ready, ...errorResponses },
      },
    },
    async (request) => {
      const { ready, components } = await checkReadiness(db, jobs, request.log);
      if (!ready) {
        const failing = Object.entries(components)
          .filter(([, status]) => status === 'failed')
          .map(([name]) => name);
        throw new AppError('unavailable', `Not ready: ${failing.join(' and ')} unreachable.`, { components });
      }
      return { status: 'ready' as const, components };
    },
  );

  app.get(
    '/api/v1/version',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Build and database engine',
        response: { 200: Version, ...errorResponses },
      },
    },
    async () => ({ name: 'vioscan' as const, version, engine: db.engine, schemaVersion }),
  );

  app.get(
    '/api/openapi.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'This document',
        response: { 200: OpenApiDocument, ...errorResponses },
      },
    },
    async () => app.swagger() as { openapi: string },
  );

  // Which package versions run here is a map for an attacker: staff only.
  app.get(
    '/api/v1/system/sbom',
    {
      config: { access: requirePermission('staff:read') },
      schema: {
        tags: ['admin'],
        summary: 'CycloneDX software bill of materials of the running version',
        response: { 200: Sbom, ...errorResponses },
      },
    },
    async () => runningSbom(),
  );
};

export default systemRoutes;
