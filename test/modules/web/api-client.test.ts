import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../http/app-helpers.ts';

/**
 * The web app talks to the server only through the API (issue 5): every call the client makes must
 * be an operation of the served OpenAPI document, and every body the client reads or sends is typed
 * from the server's own TypeBox schemas rather than written by hand (docs/web.md "Talking to the API").
 */

const API_DIR = new URL('../../../web/src/api/', import.meta.url);
const WEB_SRC = new URL('../../../web/src/', import.meta.url);
const apiFiles = readdirSync(API_DIR).filter((f) => f.endsWith('.ts'));
const source = (file: string) => readFileSync(new URL(file, API_DIR), 'utf8');

// The passkey ceremonies need a browser: the client's calls around them are what is checked here.
vi.mock('@simplewebauthn/browser', () => ({
  startRegistration: async () => ({ id: 'credential' }),
  startAuthentication: async () => ({ id: 'credential' }),
}));

interface Call {
  method: string;
  path: string;
}

type ApiObject = Record<string, (...args: string[]) => unknown>;

/** Every function of every `xxxApi` object of web/src/api, called with placeholder arguments. */
async function exerciseClient(): Promise<Map<string, Call[]>> {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: { method: string }) => {
    calls.push({ method: init.method, path: url });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
  const byFunction = new Map<string, Call[]>();
  try {
    for (const file of apiFiles) {
      const module = (await import(new URL(file, API_DIR).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (!/^[a-z]*Api$|^api$/.test(name) || typeof value !== 'object' || value === null) continue;
        for (const [fn, call] of Object.entries(value as ApiObject)) {
          calls.length = 0;
          const args = ['arg0', 'arg1', 'arg2', 'arg3'];
          const result = call(...args);
          // Download links are GET paths the browser follows.
          if (typeof result === 'string') calls.push({ method: 'GET', path: result });
          else await Promise.resolve(result).catch(() => undefined);
          byFunction.set(`${file} ${name}.${fn}`, [...calls]);
        }
      }
    }
  } finally {
    vi.unstubAllGlobals();
  }
  return byFunction;
}

describe('the web API client', () => {
  let t: TestApp;
  let operations: { method: string; pattern: RegExp; path: string }[];
  beforeAll(async () => {
    t = await createTestApp('pglite');
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
      })),
    );
  });
  afterAll(() => t.close());

  it('calls only operations of the served OpenAPI document, with their methods', async () => {
    const byFunction = await exerciseClient();
    // The api objects of client.ts, mfa.ts, tokens.ts, admin.ts, … (a file losing its calls fails here).
    expect(byFunction.size).toBeGreaterThanOrEqual(50);
    const unknown: string[] = [];
    for (const [fn, calls] of byFunction) {
      expect(calls.length, `${fn} made no request`).toBeGreaterThan(0);
      for (const { method, path } of calls) {
        const bare = path.split('?')[0]!;
        if (!operations.some((op) => op.method === method && op.pattern.test(bare)))
          unknown.push(`${fn}: ${method} ${bare}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('notices a renamed route: a path the document lacks does not match', () => {
    const matches = (method: string, path: string) =>
      operations.some((op) => op.method === method && op.pattern.test(path));
    expect(matches('GET', '/api/v1/orgs/o1/tokens')).toBe(true);
    expect(matches('POST', '/api/v1/orgs/o1/token')).toBe(false);
    expect(matches('PUT', '/api/v1/orgs/o1/tokens')).toBe(false);
    expect(matches('GET', '/api/v1/orgs/o1/tokens/extra/segment')).toBe(false);
  });
});

describe('web/src/api types', () => {
  it('declares no API body by hand: no interfaces, no object-literal aliases, no inline request<{…}>', () => {
    const found: string[] = [];
    for (const file of apiFiles) {
      const text = source(file);
      for (const match of text.matchAll(/^\s*(?:export\s+)?(?:interface\s+(\w+)|type\s+(\w+)\s*=\s*\{)/gm)) {
        const name = match[1] ?? match[2]!;
        found.push(`${file}: ${name}`);
      }
      for (const match of text.matchAll(/request<\s*\{/g))
        found.push(`${file}:${text.slice(0, match.index).split('\n').length}: inline request<{…}>`);
    }
    expect(found).toEqual([]);
  });

  it('imports the server only for types, so no server code reaches the bundle', () => {
    const runtime: string[] = [];
    for (const file of apiFiles)
      for (const match of source(file).matchAll(/^(import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms))
        if (match[2]!.includes('/src/')) runtime.push(`${file}: ${match[2]}`);
    expect(runtime).toEqual([]);
  });

  it('keeps every API call in web/src/api (pages never fetch or build /api paths themselves)', () => {
    const offenders: string[] = [];
    const walk = (dir: URL) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          if (entry.name !== 'api') walk(new URL(`${entry.name}/`, dir));
        } else if (/\.tsx?$/.test(entry.name)) {
          const text = readFileSync(new URL(entry.name, dir), 'utf8');
          if (/\bfetch\(|import\s*\{[^}]*\brequest\b[^}]*\}\s*from/.test(text) || /['`]\/api\/v1/.test(text))
            offenders.push(new URL(entry.name, dir).pathname);
        }
      }
    };
    walk(WEB_SRC);
    expect(offenders).toEqual([]);
  });
});
