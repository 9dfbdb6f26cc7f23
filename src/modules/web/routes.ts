import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import type { ResolvedConfig } from '../../config/load.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { analyticsScript, withAnalytics } from '../privacy/analytics.ts';
import { clientRoutes } from './paths.ts';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
const ASSETS = `${WEB_DIST}assets`;

/** Shown when web/dist is missing (a checkout where `npm run build:web` has not run yet). */
const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>VIOscan</title></head>
<body><h1>VIOscan</h1><p>The web app is not built. Run <code>npm run build:web</code>, then reload.
The API is described at <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>
`;

function loadIndex(): string {
  const file = `${WEB_DIST}index.html`;
  return existsSync(file) ? readFileSync(file, 'utf8') : NOT_BUILT;
}

let cachedIndex: { key: string; html: string } | undefined;

/** index.html as served (with the analytics tag when configured); read once per process. */
export function appIndex(config: ResolvedConfig): string {
  const script = analyticsScript(config);
  const key = JSON.stringify(script);
  if (cachedIndex?.key !== key) cachedIndex = { key, html: withAnalytics(loadIndex(), script) };
  return cachedIndex.html;
}

/**
 * Serves the built SPA (web/dist): hashed assets with a year-long immutable cache (their names
 * change with their content), index.html with no-cache on every client route so a deploy is
 * picked up on the next navigation. Everything runs under the strict CSP: the build emits no
 * inline script or style.
 */
const webRoutes: RouteModule = async (app, { config }) => {
  // Plausible's external script tag, only with PLAUSIBLE_DOMAIN (the CSP allows that origin alone).
  const index = appIndex(config);
  await app.register(fastifyStatic, { root: ASSETS, serve: false });

  app.get(
    '/assets/*',
    {
      // Immutable, cached files: counting them would spend a database write per asset.
      config: { access: 'public', rateLimit: false },
      schema: { hide: true, params: Type.Object({ '*': Type.String({ maxLength: 256 }) }) },
    },
    async (request, reply) =>
      reply.sendFile(request.params['*'], ASSETS, { immutable: true, maxAge: 365 * 24 * 3600 * 1000 }),
  );

  for (const path of Object.values(clientRoutes)) {
    app.get(
      path,
      {
        config: { access: 'public' },
        schema: {
          tags: ['web'],
          summary: 'The web app (HTML)',
          produces: ['text/html'],
          ...(path.includes(':id') && { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) }),
          response: { 200: Type.String({ description: 'HTML page' }), ...errorResponses },
        },
      },
      async (_request, reply) =>
        reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index),
    );
  }
};

export default webRoutes;
