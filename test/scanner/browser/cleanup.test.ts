/**
 * Nothing is left running after an error or a kill.
 *
 * In the library: a visit that fails, runs out of time or is aborted (even while its context is still
 * being created) closes its context and its guarded proxy; the pooled browser stays for the next scan.
 * In a process: `vioscan scan --browser` (the real CLI in a child process, on a page that never finishes
 * loading in the browser) stopped with SIGTERM closes Chromium, its proxies and its profile and exits
 * 143 without a report; killed with SIGKILL (no handler runs) Chromium still exits, as its DevTools pipe
 * closes, the proxy ports go with the process, and the next launch removes the left-over profile.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeBrowserPool, gatherBrowser } from '../../../src/scanner/browser/index.ts';
import { pooledBrowser, removeStaleProfiles } from '../../../src/scanner/browser/pool.ts';
import { BIN } from '../../helpers/cli.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startFixtureSites, type FixtureSites } from './fixture-sites.ts';
import { accepts, chromiumOf, isAlive, listeningPorts } from './processes.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

describe('a visit that fails, times out or is aborted leaves no context or proxy open', () => {
  let sites: FixtureSites;
  beforeAll(async () => {
    sites = await startFixtureSites();
  });
  afterAll(async () => {
    await closeBrowserPool();
    await sites?.close();
  });

  const options = () => ({ resolver: sites.resolver, ca: [sites.caPem], visits: ['none'] as const });

  /** The pooled browser's contexts once every earlier CDP command has been answered. */
  async function openContexts(): Promise<number> {
    const { browser } = await pooledBrowser({ ca: [sites.caPem] });
    // A round trip: a context the browser was still creating for an ended visit exists by now.
    const probe = await browser.newContext();
    await probe.close();
    return browser.contexts().length;
  }

  it.each([
    ['fails (the guard refuses the page)', () => gatherBrowser(sites.cleanUrl, options()), 'visit_failed'],
    [
      'runs out of time (the page never finishes)',
      () =>
        gatherBrowser(`${sites.cleanUrl}slow`, {
          ...options(),
          allowPrivate: true,
          timeouts: { visitMs: 3000 },
        }),
      'timeout',
    ],
    [
      'is aborted before its context exists',
      () => gatherBrowser(sites.cleanUrl, { ...options(), allowPrivate: true, signal: AbortSignal.abort() }),
      'aborted',
    ],
  ])('a visit that %s', async (_name, run, code) => {
    await pooledBrowser({ ca: [sites.caPem] });
    const contexts = await openContexts();
    const ports = listeningPorts(process.pid);
    const artefact = await run();
    expect(artefact.visits[0]?.error?.code).toBe(code);
    expect(await openContexts()).toBe(contexts);
    expect(listeningPorts(process.pid)).toEqual(ports);
    const { browser } = await pooledBrowser({ ca: [sites.caPem] });
    expect(browser.isConnected()).toBe(true);
  });
});

describe('vioscan scan --browser stopped by a signal leaves nothing running', () => {
  let server: Server;
  let url: string;
  let browserArrived: () => void = () => undefined;
  // The child's temp folder (TMPDIR), its own: no other process sweeps the profiles under test.
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'vioscan-cleanup-test-'));
    // The passive scan gets its page; the browser's request never finishes, so the scan is mid-visit.
    server = createServer((req, res) => {
      if (/Chrome/.test(req.headers['user-agent'] ?? '')) {
        res.writeHead(200, { 'content-type': 'text/html' }).write('<!doctype html><title>slow');
        browserArrived();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ok</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(tmp, { recursive: true, force: true });
  });

  async function scanUntilTheBrowserVisits() {
    const arrived = new Promise<void>((resolve) => (browserArrived = resolve));
    const child = spawn(process.execPath, [BIN, 'scan', url, '--browser', '--allow-private', '-q'], {
      env: {
        PATH: process.env.PATH ?? '',
        TMPDIR: tmp,
        ...(process.env.CHROMIUM_PATH && { CHROMIUM_PATH: process.env.CHROMIUM_PATH }),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await Promise.race([
      arrived,
      exited.then(() => {
        throw new Error(`the scan ended before the browser visited: ${stderr}`);
      }),
    ]);
    const chromium = chromiumOf(child.pid!);
    const ports = listeningPorts(child.pid!);
    return { child, chromium, ports, exited, output: () => ({ stdout, stderr }) };
  }

  async function expectGone(pids: number[], ports: number[]) {
    await waitFor(async () => (pids.some(isAlive) ? undefined : true), 30_000);
    expect(pids.filter(isAlive)).toEqual([]);
    for (const port of ports) expect(await accepts(port), `port ${port}`).toBe(false);
  }

  it('SIGTERM: Chromium, the proxies and the profile are closed, exit 143, no report', async () => {
    const run = await scanUntilTheBrowserVisits();
    expect(run.chromium.pids.length).toBeGreaterThan(1);
    expect(run.chromium.profile).toMatch(/vioscan-chromium-\d+-/);
    // The deny-all proxy and at least one visit's guarded proxy.
    expect(run.ports.length).toBeGreaterThanOrEqual(2);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 143, signal: null });
    await expectGone(run.chromium.pids, run.ports);
    expect(existsSync(run.chromium.profile!)).toBe(false);
    expect(run.output().stdout).toBe('');
  });

  it('SIGKILL: Chromium exits by itself and the ports are gone; the next launch removes the profile', async () => {
    const run = await scanUntilTheBrowserVisits();
    expect(run.chromium.pids.length).toBeGreaterThan(1);
    expect(run.ports.length).toBeGreaterThanOrEqual(2);
    run.child.kill('SIGKILL');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await expectGone(run.chromium.pids, run.ports);
    const profile = run.chromium.profile!;
    expect(path.dirname(profile)).toBe(tmp);
    expect(existsSync(profile)).toBe(true);
    // Profiles of running processes stay: this one's and its parent's.
    const live = [process.pid, process.ppid].map((pid) => path.join(tmp, `vioscan-chromium-${pid}-live`));
    for (const dir of live) mkdirSync(dir);
    expect(removeStaleProfiles(tmp)).toEqual([path.basename(profile)]);
    expect(existsSync(profile)).toBe(false);
    for (const dir of live) expect(existsSync(dir)).toBe(true);
  });
});
