import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { SecurityPage } from './schema.ts';
import { securityPage } from './service.ts';

/** The data behind the public /security page, assembled from live configuration and state. */
const securityPageRoutes: RouteModule = async (app, { config, db }) => {
  app.get(
    '/api/v1/security-page',
    {
      config: { access: 'public' },
      schema: {
        tags: ['trust'],
        summary: 'What the Security & Privacy page states, from this instance’s configuration and state',
        response: { 200: SecurityPage, ...errorResponses },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-cache');
      return securityPage({
        config,
        db,
        log: request.log,
        hasRoute: (url) => app.hasRoute({ method: 'GET', url }),
      });
    },
  );
};

export default securityPageRoutes;
