/**
 * Issue 17 item 6: the CycloneDX SBOM of the running version, for staff only, listing the
 * production dependencies at the versions package-lock.json pins.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionPackages } from '../../../scripts/sbom.js';
import { buildStaff, buildUser, sessionHeaders } from '../../helpers/trust.ts';
import { createTestApp, testConfig, type TestApp } from '../../http/app-helpers.ts';

const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version: string }>;
};

describe('software bill of materials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives staff a CycloneDX document of the locked production dependencies, not cacheable', async () => {
    const { headers } = await buildStaff(t.db, testConfig(), 'support');
    const res = await t.app.inject({ url: '/api/v1/system/sbom', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const bom = res.json<{
      bomFormat: string;
      specVersion: string;
      components: { name: string; version: string; purl: string }[];
    }>();
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.specVersion).toMatch(/^1\.\d+$/);
    const cookie = bom.components.find((c) => c.name === '@fastify/cookie');
    expect(cookie?.version).toBe(lock.packages['node_modules/@fastify/cookie']!.version);
    expect(cookie?.purl).toBe(`pkg:npm/%40fastify/cookie@${cookie?.version}`);
    // Every production package of the lock, those development tools also use included (npm's own
    // --omit dev dropped fastify, pino and undici), once each; development tools are not part of it.
    for (const name of ['fastify', 'pino', 'undici'])
      expect(bom.components.find((c) => c.name === name)?.version).toBe(
        lock.packages[`node_modules/${name}`]!.version,
      );
    expect(bom.components.map((c) => `${c.name}@${c.version}`).sort()).toEqual(
      [...productionPackages(lock)].sort(),
    );
    expect(bom.components.some((c) => c.name === 'vitest')).toBe(false);
  });

  it('is not there for anyone else', async () => {
    expect((await t.app.inject({ url: '/api/v1/system/sbom' })).statusCode).toBe(401);
    const user = await buildUser(t.db);
    const res = await t.app.inject({
      url: '/api/v1/system/sbom',
      headers: await sessionHeaders(t.db, testConfig(), user),
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('CycloneDX');
  });
});
