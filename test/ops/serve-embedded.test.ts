import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, freePort, runCli, startCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';
import type { ChildProcess } from 'node:child_process';

const childPids = (output: string) =>
  [...output.matchAll(/"pid":(\d+),"hostname":"[^"]*","scope":"ops","url"/g)].map((m) => Number(m[1]));

describe('vioscan serve on the embedded engine', () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'vioscan-serve-')), 'data');
  let port: number;
  let server: { child: ChildProcess; output: () => string };
  let base: string;

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startCli(
      ['serve'],
      { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' },
      /VIOscan listening on/,
      90_000,
    );
  }, 120_000);

  afterAll(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('comes up with no configuration: says where it listens and that it runs on the embedded database', async () => {
    expect(server.output()).toContain(`VIOscan listening on ${base}`);
    expect(server.output()).toContain(`embedded database (PGlite) in ${dataDir}`);
    // Readiness is polled, as a load balancer would: a process that has just started may still
    // shed load while the event loop recovers from PGlite's start-up.
    const ready = await waitFor(async () => {
      const response = await fetch(`${base}/readyz`);
      return response.status === 200 ? response : undefined;
    }, 30_000);
    expect(await ready.json()).toEqual({ status: 'ready', components: { database: 'ok', queue: 'ok' } });
    expect(existsSync(path.join(dataDir, 'secrets.json'))).toBe(true);
  });

  it('a second server on the same DATA_DIR stops with a message naming the owner', async () => {
    const second = await runCli(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`is in use by process ${server.child.pid} (vioscan serve`);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(
      await waitFor(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined)),
    ).toBe(true);
  });

  it('replaces a child killed with SIGKILL and serves again', async () => {
    const [first] = childPids(server.output());
    expect(first).toBeGreaterThan(0);
    process.kill(first!, 'SIGKILL');
    const second = await waitFor(async () => childPids(server.output()).find((p) => p !== first), 60_000);
    expect(second).not.toBe(first);
    expect(server.output()).toContain('child exited; restarting');
    const ready = await waitFor(
      async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined),
      30_000,
    );
    expect(ready).toBe(true);
  }, 90_000);

  it('exits 0 on SIGTERM and releases DATA_DIR', async () => {
    server.child.kill('SIGTERM');
    expect((await exited(server.child)).code).toBe(0);
    expect(existsSync(path.join(dataDir, 'owner.lock'))).toBe(false);
  }, 40_000);
});
