import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../../http/module.ts';

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Placeholder front page until the web app is served; styled through the per-request nonce. */
function page(styleNonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VIOscan</title>
<style nonce="${escapeAttribute(styleNonce)}">body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem}</style>
</head>
<body>
<h1>VIOscan</h1>
<p>Website security and privacy scanner. The API is described at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
</body>
</html>
`;
}

const homeRoutes: RouteModule = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['web'],
        summary: 'Front page (HTML)',
        produces: ['text/html'],
        response: { 200: Type.String({ description: 'HTML page' }) },
      },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(page(reply.cspNonce.style)),
  );
};

export default homeRoutes;
