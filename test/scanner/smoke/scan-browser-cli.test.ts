/**
 * Smoke scans of `vioscan scan --browser` through the real CLI: usage errors exit 2, no browser exits
 * 3 before anything is fetched, progress lines on stderr, the evidence files of a visit (HAR, cookies,
 * storage, screenshot), and without --browser nothing of it shows.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../src/scanner/types.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import { goodSite, runCli } from './fixtures.ts';

let site: RunningSite;
let tmp: string;

beforeAll(async () => {
  site = await startTestSite(goodSite());
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vioscan-browser-smoke-'));
});

afterAll(async () => {
  await site.close();
  await rm(tmp, { recursive: true, force: true });
  await disposeTestPki();
});

vi.setConfig({ testTimeout: 180_000 });
const base = () => ['scan', '--allow-private', '--ca', site.pki.caFile];

describe('vioscan scan --browser', () => {
  it.each([
    [['--evidence', 'ev'], '--evidence needs --browser'],
    [
      ['--browser', '--remote', 'https://vioscan.example/'],
      '--browser runs the browser on this machine: it cannot be combined with --remote',
    ],
    [
      ['--browser', '--browser-visits', 'none,accept'],
      '--browser-visits expects a comma-separated list of none, reject, gpc (got "accept")',
    ],
  ])('exit 2 for %j, nothing fetched', async (flags, message) => {
    const before = site.requests.length;
    const r = await runCli([...base(), ...flags, site.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(site.requests.length).toBe(before);
  });

  it('exit 3 with how to install Chromium when there is none, before anything is fetched', async () => {
    const before = site.requests.length;
    const missing = path.join(tmp, 'no-chromium-here');
    const r = await runCli([...base(), '--browser', site.url], { env: { CHROMIUM_PATH: missing } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `--browser needs Chromium, and there is no executable at ${missing} (CHROMIUM_PATH)`,
    );
    expect(r.stderr).toContain('sudo apt-get install chromium');
    expect(r.stdout).toBe('');
    expect(site.requests.length).toBe(before);
  });

  it('one visit: progress lines on stderr, the privacy summary in the report, the evidence files', async () => {
    const evidence = path.join(tmp, 'evidence');
    const r = await runCli([
      ...base(),
      '--browser',
      '--browser-visits',
      'none',
      '--evidence',
      evidence,
      '--format',
      'json',
      site.url,
    ]);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.privacy).toBeDefined();
    expect(report.timings.browser).toBeGreaterThanOrEqual(0);
    expect(report.privacy?.error).toBeUndefined();
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(`vioscan: browser: visiting ${site.url} (before consent)`);
    expect(lines[1]).toMatch(
      new RegExp(`^vioscan: browser: ${site.url.replace(/[.?]/g, '\\$&')} visited in \\d+\\.\\d s$`),
    );
    expect(lines[2]).toMatch(/^vioscan: scanned .*: grade /);
    const [dir, ...others] = await readdir(evidence);
    expect(others).toEqual([]);
    const files = (await readdir(path.join(evidence, dir!))).sort();
    expect(files).toEqual(['none.cookies.json', 'none.har', 'none.jpeg', 'none.storage.json']);
    const har = JSON.parse(await readFile(path.join(evidence, dir!, 'none.har'), 'utf8')) as {
      log: { entries: { request: { url: string } }[] };
    };
    expect(har.log.entries.map((e) => e.request.url)).toContain(site.url);
    const jpeg = await readFile(path.join(evidence, dir!, 'none.jpeg'));
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('without --browser: no browser line, no privacy summary, privacy not graded', async () => {
    const r = await runCli([...base(), '--format', 'json', site.url]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('browser');
    const report = JSON.parse(r.stdout) as Report;
    expect(report).not.toHaveProperty('privacy');
    expect(report.categories.map((c) => c.category)).not.toContain('privacy');
    expect(report.checks.filter((c) => c.category === 'privacy').every((c) => c.status === 'skipped')).toBe(
      true,
    );
  });
});
