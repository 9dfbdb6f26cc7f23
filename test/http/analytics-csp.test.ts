import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createTestApp, type TestApp } from './app-helpers.ts';

/** The CSP as directive → sources. */
function csp(header: string | string[] | number | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of String(header).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    // Nonces differ per request; only their presence is compared.
    if (name) out[name] = values.map((v) => v.replace(/^'nonce-[^']+'$/, "'nonce'")).sort();
  }
  return out;
}

const SCRIPT_TAG =
  /<script defer data-domain="vioscan\.example" src="https:\/\/stats\.example\.net\/js\/script\.js"><\/script>/;

describe('Plausible analytics and the CSP', () => {
  let off: TestApp;
  let on: TestApp;
  let defaultHost: TestApp;
  beforeAll(async () => {
    off = await createTestApp('pglite');
    on = await createTestApp('pglite', {
      db: off.db,
      env: { PLAUSIBLE_DOMAIN: 'vioscan.example', PLAUSIBLE_HOST: 'https://stats.example.net' },
    });
    defaultHost = await createTestApp('pglite', { db: off.db, env: { PLAUSIBLE_DOMAIN: 'vioscan.example' } });
  });
  afterAll(async () => {
    await defaultHost.close();
    await on.close();
    await off.close();
  });

  it('names no third-party origin in the CSP, the pages or /security when PLAUSIBLE_DOMAIN is unset', async () => {
    for (const url of ['/', '/security', '/account/privacy', '/api/v1/security-page']) {
      const res = await off.app.inject({ url });
      expect(res.headers['content-security-policy']).not.toMatch(/:\/\//);
      expect(res.body).not.toMatch(/plausible|<script[^>]+src="https?:/i);
    }
    const page = (await off.app.inject({ url: '/api/v1/security-page' })).json();
    expect(page.subprocessors).toEqual([]);
  });

  it('adds exactly the configured origin to script-src and connect-src, and the script tag to index.html', async () => {
    const res = await on.app.inject({ url: '/security' });
    const withIt = csp(res.headers['content-security-policy']);
    const without = csp((await off.app.inject({ url: '/security' })).headers['content-security-policy']);
    expect(withIt['script-src']).toEqual([...without['script-src']!, 'https://stats.example.net'].sort());
    expect(withIt['connect-src']).toEqual([...without['connect-src']!, 'https://stats.example.net'].sort());
    for (const [name, values] of Object.entries(withIt))
      if (name !== 'script-src' && name !== 'connect-src') expect(values).toEqual(without[name]);
    expect(res.body).toMatch(SCRIPT_TAG);
    const scripts = (html: string) => html.match(/<script/g)?.length ?? 0;
    expect(scripts(res.body)).toBe(scripts((await off.app.inject({ url: '/security' })).body) + 1);
    // API answers carry the same policy; the page data lists Plausible with its origin.
    const page = await on.app.inject({ url: '/api/v1/security-page' });
    expect(page.body).not.toMatch(SCRIPT_TAG);
    expect(page.json().subprocessors).toEqual([
      expect.objectContaining({
        provider: 'Plausible',
        notes: expect.stringContaining('https://stats.example.net'),
      }),
    ]);
  });

  it('loads from https://plausible.io by default', async () => {
    const res = await defaultHost.app.inject({ url: '/' });
    expect(csp(res.headers['content-security-policy'])['script-src']).toContain('https://plausible.io');
    expect(res.body).toContain(
      '<script defer data-domain="vioscan.example" src="https://plausible.io/js/script.js"></script>',
    );
  });

  it('refuses a PLAUSIBLE_HOST with a path, naming the variable', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'test',
        APP_SECRET: 'a'.repeat(64),
        BACKUP_KEY: 'b'.repeat(64),
        PLAUSIBLE_HOST: 'https://x.example/js',
      }),
    ).toThrow(/PLAUSIBLE_HOST/);
  });
});
