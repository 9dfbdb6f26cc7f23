import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../../src/modules/web/routes.ts';
import { clientRoutes } from '../../../src/modules/web/paths.ts';
import { createTestApp, type TestApp } from '../../http/app-helpers.ts';
import { ensureWebBuild } from '../../e2e/build.ts';

describe('serving the web app', () => {
  let t: TestApp;
  let script: string;
  beforeAll(async () => {
    await ensureWebBuild();
    script = readdirSync(`${WEB_DIST}assets`).find((f) => f.endsWith('.js'))!;
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it.each(Object.values(clientRoutes).map((p) => p.replace(':id', 'abc123')))(
    'answers the client route %s with index.html, not cached',
    async (path) => {
      const res = await t.app.inject({ url: path });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain(`<script type="module" crossorigin src="/assets/${script}"></script>`);
    },
  );

  it('serves hashed assets with a year-long immutable cache', async () => {
    const res = await t.app.inject({ url: `/assets/${script}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each(['/api/v1/nothing', '/healthz/x', '/.well-known/nothing', '/no/such/page', '/assets/missing.js'])(
    'does not fall back to the app for %s',
    async (path) => {
      const res = await t.app.inject({ url: path });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    },
  );

  it('does not serve files outside the assets folder', async () => {
    const res = await t.app.inject({ url: '/assets/..%2f..%2fpackage.json' });
    expect([403, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain('"name": "vioscan"');
  });
});
