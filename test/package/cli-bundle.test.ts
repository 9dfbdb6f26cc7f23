import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, namespaceZod, packageOf, rewriteImportMeta } from '../../scripts/bundle-cli.js';
import * as core from '../../scripts/undici-core.js';

/**
 * The CLI as `npm run build` bundles it (scripts/bundle-cli.js): each module still finds the files
 * it reads beside its compiled twin in dist/, the sources get the part of undici they use, and the
 * bundle keeps what a command loads on demand out of that command's start.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the rewrites applied to the sources', () => {
  const dirs = { srcDir: '/pkg/src', distDir: '/pkg/dist', outDir: '/pkg/dist/cli' };

  it('import.meta.url becomes the URL of the compiled twin, whatever chunk holds the module', () => {
    const source = "readFileSync(new URL('../package.json', import.meta.url));";
    const out = rewriteImportMeta(source, '/pkg/src/version.ts', dirs);
    expect(out).toBe(
      'readFileSync(new URL(\'../package.json\', new URL("../version.js", import.meta.url).href));',
    );
    const chunk = 'file:///opt/lib/node_modules/vioscan/dist/cli/chunk-ABC.js';
    const twin = new Function('chunkUrl', `return new URL("../version.js", chunkUrl).href`)(chunk) as string;
    expect(new URL('../package.json', twin).href).toBe('file:///opt/lib/node_modules/vioscan/package.json');
    expect(rewriteImportMeta("new URL('./page.js', import.meta.url)", '/pkg/src/a/b/c.ts', dirs)).toBe(
      'new URL(\'./page.js\', new URL("../a/b/c.js", import.meta.url).href)',
    );
  });

  it('refuses import.meta.dirname and import.meta.filename, which it does not rewrite', () => {
    expect(() => rewriteImportMeta('const d = import.meta.dirname;', '/pkg/src/x.ts', dirs)).toThrow(
      '/pkg/src/x.ts: use import.meta.url (the CLI bundle rewrites only that)',
    );
    expect(() => rewriteImportMeta('const f = import.meta.filename;', '/pkg/src/x.ts', dirs)).toThrow(
      /use import\.meta\.url/,
    );
    expect(rewriteImportMeta('const a = 1;', '/pkg/src/x.ts', dirs)).toBe('const a = 1;');
  });

  it("imports zod's namespace so unused parts can be dropped, and leaves other forms alone", () => {
    expect(namespaceZod("import { z } from 'zod';\nz.string();")).toBe(
      "import * as z from 'zod';\nz.string();",
    );
    expect(namespaceZod("import { z, type ZodType } from 'zod';")).toBe(
      "import { z, type ZodType } from 'zod';",
    );
  });

  it('names the package of a bare specifier', () => {
    expect(packageOf('zod')).toBe('zod');
    expect(packageOf('undici/lib/api/index.js')).toBe('undici');
    expect(packageOf('@leichtgewicht/ip-codec')).toBe('@leichtgewicht/ip-codec');
    expect(packageOf('@fastify/static/lib/x.js')).toBe('@fastify/static');
  });
});

describe('the part of undici the bundle gives the sources (scripts/undici-core.js)', () => {
  let server: http.Server;
  let origin: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => res.end(`${req.method} ${req.url}`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it("is undici's own Agent, connector and errors", () => {
    expect(core.Agent).toBe(undici.Agent);
    expect(core.Dispatcher).toBe(undici.Dispatcher);
    expect(core.buildConnector).toBe(undici.buildConnector);
    expect(core.errors).toBe(undici.errors);
    expect(typeof core.Dispatcher.prototype.request).toBe('function');
  });

  it('request() sends through the given dispatcher, with a path option as undici does', async () => {
    const agent = new core.Agent();
    try {
      const a = await core.request(`${origin}/a?b=1`, { dispatcher: agent });
      expect([a.statusCode, await a.body.text()]).toEqual([200, 'GET /a?b=1']);
      // `path` is undici's (index.js makeDispatcher), absent from its types.
      const b = await core.request(origin, { dispatcher: agent, path: 'x', method: 'HEAD' } as never);
      expect(b.statusCode).toBe(200);
      await b.body.dump();
      const c = await core.request(new URL(`${origin}/c`), { dispatcher: agent, body: 'x' });
      expect(await c.body.text()).toBe('PUT /c');
    } finally {
      await agent.close();
    }
  });

  it('rejects what undici rejects, with its messages', () => {
    expect(() => core.request('', {})).toThrow('invalid url');
    expect(() => core.request(origin, 'x' as never)).toThrow('invalid opts');
    expect(() => core.request(origin, { path: 1 } as never)).toThrow('invalid opts.path');
    expect(() => core.request(origin, { agent: {} } as never)).toThrow('unsupported opts.agent');
  });
});

describe('the bundled CLI', () => {
  const cache = path.join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  // Inside the checkout, so the packages left outside the bundle resolve from node_modules.
  const outDir = mkdtempSync(path.join(cache, 'vioscan-cli-bundle-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  beforeAll(() => bundleCli(ROOT, { outDir }), 120_000);

  /** Every module a chunk loads before it runs: its static imports, followed; `import()` is not. */
  function staticClosure(file: string): { sources: string[]; packages: string[] } {
    const seen = new Set<string>();
    const sources = new Set<string>();
    const packages = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const text = readFileSync(path.join(outDir, name), 'utf8');
      for (const [, from] of text.matchAll(/^\/\/ (\S+)$/gm)) {
        if (from!.startsWith('src/')) sources.add(from!);
        const bundled = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(from!);
        if (bundled) packages.add(bundled[1]!);
      }
      for (const [, spec] of text.matchAll(
        /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g,
      )) {
        if (spec!.startsWith('./')) visit(spec!.slice(2));
        else if (!spec!.startsWith('node:')) packages.add(packageOf(spec!));
      }
    };
    visit(file);
    return { sources: [...sources], packages: [...packages] };
  }

  const chunkOf = (source: string) =>
    readdirSync(outDir).find(
      (f) => f.endsWith('.js') && readFileSync(path.join(outDir, f), 'utf8').includes(`\n// ${source}\n`),
    )!;

  it('starts `scan` without the browser stage, the tracker engine, YAML or the artefact store', () => {
    const { sources, packages } = staticClosure(chunkOf('src/cli/commands/scan-run.ts'));
    expect(sources).toContain('src/scanner/gather/safe-fetch.ts');
    expect(packages).toContain('undici');
    expect(packages.filter((p) => /^(playwright-core|axe-core|@ghostery\/adblocker|yaml)$/.test(p))).toEqual(
      [],
    );
    expect(
      sources.filter((s) => /scanner\/(browser\/(pool|classify)|suppressions|artefact-store)\.ts$/.test(s)),
    ).toEqual([]);
  });

  it('starts `serve` without what only a request or a job needs (as test/ops/start-graph.test.ts)', () => {
    // The modules start-graph.test.ts imports: serve.ts loads the others in the cluster child, the
    // HTTP app while the database opens.
    const packages = ['src/cli/commands/serve.ts', 'src/ops/server-process.ts', 'src/http/app.ts'].flatMap(
      (source) => staticClosure(chunkOf(source)).packages,
    );
    expect(packages).toContain('fastify');
    const onDemand = ['stripe', 'nodemailer', '@simplewebauthn/server', 'qrcode', 'yazl', 'undici'];
    const later = ['@ghostery/adblocker', 'htmlparser2', 'playwright-core', 'axe-core'];
    expect(packages.filter((p) => [...onDemand, ...later].includes(p))).toEqual([]);
  });

  it('loads the browser pool, the suppressions parser and the job handlers as chunks of their own (so the checks above can see them)', () => {
    expect(staticClosure(chunkOf('src/scanner/browser/pool.ts')).packages).toContain('playwright-core');
    expect(staticClosure(chunkOf('src/scanner/suppressions.ts')).packages).toContain('yaml');
    expect(staticClosure(chunkOf('src/jobs/index.ts')).packages).toEqual(
      expect.arrayContaining(['undici', '@ghostery/adblocker', 'htmlparser2']),
    );
  });

  it('`--help` loads no command module', () => {
    const { sources } = staticClosure('index.js');
    expect(sources).toContain('src/cli/index.ts');
    expect(sources.filter((s) => s.startsWith('src/cli/commands/') || s.startsWith('src/scanner/'))).toEqual(
      [],
    );
  });

  it('runs: --version reads package.json beside dist/, --help lists the commands', () => {
    const entry = path.join(outDir, 'index.js');
    const version = spawnSync(process.execPath, [entry, '--version'], { encoding: 'utf8' });
    expect(version.stderr).toBe('');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = spawnSync(process.execPath, [entry, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}scan +scan websites/m);
  });
});
