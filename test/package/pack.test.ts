import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEntry } from '../../bin/entry.js';
import { exited, freePort } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The published artefact: `npm pack` (its prepare/prepack scripts included) and an install of the
 * tarball into an empty prefix, as a user would (`npm i -g ./vioscan-*.tgz`). Dependencies come
 * from the npm cache that `npm ci` filled (--prefer-offline), at the lockfile's versions (the
 * tarball carries it as npm-shrinkwrap.json). The installed CLI then scans a loopback site and
 * serves on a fresh embedded data directory.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'vioscan-pack-'));
const prefix = path.join(work, 'prefix');
const installed = path.join(prefix, 'lib', 'node_modules', 'vioscan');
const bin = path.join(prefix, 'bin', 'vioscan');
const env = {
  PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  HOME: process.env.HOME ?? work,
};

function npm(args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0)
    throw new Error(`npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

describe('the packed package on a clean prefix', () => {
  let files: string[] = [];
  let site: http.Server;
  let siteUrl: string;

  beforeAll(async () => {
    // prepare rebuilds only a stale build; `npm ci` has just built this checkout.
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work]).stdout) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = packed[0]!.files.map((f) => f.path);
    npm([
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      path.join(work, packed[0]!.filename),
    ]);
    site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>packed</title></head><body>hello</body></html>');
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  }, 900_000);

  afterAll(async () => {
    if (site) await new Promise((r) => site.close(r));
    rmSync(work, { recursive: true, force: true });
  });

  it('ships the compiled code, the web app, the data it reads and nothing for development', () => {
    for (const file of [
      'bin/vioscan.js',
      'dist/cli/index.js',
      'dist/db/migrations/0001_foundation.js',
      'dist/pglite-template/PG_VERSION',
      'web/dist/index.html',
      'schemas/report.schema.json',
      'npm-shrinkwrap.json',
    ])
      expect(files).toContain(file);
    if (existsSync(path.join(ROOT, 'rules')))
      for (const file of readdirSync(path.join(ROOT, 'rules'), { recursive: true, withFileTypes: true }))
        if (file.isFile())
          expect(files).toContain(path.relative(ROOT, path.join(file.parentPath, file.name)));
    const development = files.filter((f) => /^(src|test|bench|web\/src|deploy|docs)\/|\.ts$/.test(f));
    expect(development.filter((f) => !f.endsWith('.d.ts'))).toEqual([]);
    // The repository keeps package-lock.json only; the shrinkwrap exists during the pack alone.
    expect(existsSync(path.join(ROOT, 'npm-shrinkwrap.json'))).toBe(false);
  });

  it('installs without development tools and runs its compiled code', () => {
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
    for (const tool of ['tsx', 'typescript', 'vite', 'vitest'])
      expect(existsSync(path.join(installed, 'node_modules', tool))).toBe(false);
    expect(chooseEntry(installed)).toEqual({ kind: 'dist', file: path.join(installed, 'dist/cli/index.js') });
    const help = spawnSync(bin, ['--help'], { env, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}scan +scan websites/m);
  });

  it('vioscan scan reports on a local site', async () => {
    const child = spawn(bin, ['scan', siteUrl, '--allow-private', '--format', 'json', '--quiet'], { env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    const { code } = await exited(child, 120_000);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { target: string; grade: string; findings: unknown[] };
    expect(report.target).toBe(siteUrl);
    expect(report.grade).toMatch(/^[A-F][+-]?$/);
    expect(report.findings.length).toBeGreaterThan(0); // plain http, no security headers
  });

  it('vioscan serve becomes ready on a fresh data directory and serves the web app', async () => {
    const port = await freePort();
    const dataDir = path.join(work, 'data');
    const child = spawn(bin, ['serve'], { env: { ...env, PORT: String(port), DATA_DIR: dataDir } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const base = `http://127.0.0.1:${port}`;
      const ready = await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`serve exited:\n${output}`);
        const res = await fetch(`${base}/readyz`).catch(() => undefined);
        return res?.status === 200 ? res : undefined;
      }, 240_000);
      expect(await ready.json()).toEqual({ status: 'ready', components: { database: 'ok', queue: 'ok' } });
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script type="module"[^>]* src="\/assets\/index-[\w-]+\.js"/);
      expect(existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      expect((await exited(child, 30_000)).code).toBe(0);
    }
  }, 300_000);
});
