/**
 * `npm run test:resilience` (not part of `npm test`: it takes a few minutes, so CI does not run it).
 * A real `vioscan serve` in PostgreSQL mode with two web processes, reached only on loopback:
 * sustained load with zero 5xx, a database outage and recovery without a restart, a killed web
 * process replaced under load, and a draining SIGTERM. The outage is simulated with a TCP proxy
 * in front of the shared PostgreSQL server, which other suites keep using undisturbed.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/engines.ts';
import { exited, freePort, startCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';

/** A loopback TCP proxy to PostgreSQL that can cut every connection and refuse new ones. */
async function startProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const webPids = (output: string) =>
  [...output.matchAll(/"pid":(\d+),"hostname":"[^"]*","scope":"ops","url"/g)].map((m) => Number(m[1]));

async function load(url: string, seconds: number) {
  return autocannon({ url, connections: 10, duration: seconds, requests: [{ method: 'GET' }] });
}

const status = async (url: string) => (await fetch(url, { headers: { connection: 'close' } })).status;

describe('vioscan serve under load and faults (PostgreSQL, two web processes)', () => {
  const schema = uniqueSchema('resil');
  const pgUrl = new URL(TEST_DATABASE_URL);
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let port: number;
  let server: { child: ChildProcess; output: () => string };
  let base: string;

  beforeAll(async () => {
    proxy = await startProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    const viaProxy = new URL(TEST_DATABASE_URL);
    viaProxy.port = String(proxy.port);
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startCli(
      ['serve'],
      {
        DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'vioscan-resil-')), 'data'),
        DATABASE_URL: viaProxy.href,
        DATABASE_SCHEMA: schema,
        PORT: String(port),
        WEB_CONCURRENCY: '2',
        LOG_LEVEL: 'info',
        RATE_LIMIT_MAX: '10000000',
        // This machine runs other suites at the same time; shedding is tested in load-shedding.test.ts.
        MAX_EVENT_LOOP_DELAY_MS: '5000',
      },
      /VIOscan worker running/,
      90_000,
    );
    await waitFor(async () => (webPids(server.output()).length >= 2 ? true : undefined), 60_000);
  }, 120_000);

  afterAll(async () => {
    if (process.env.VIOSCAN_RESILIENCE_LOG)
      (await import('node:fs')).writeFileSync(process.env.VIOSCAN_RESILIENCE_LOG, server?.output() ?? '');
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await proxy?.close();
    await dropSchemas(schema);
  });

  it('answers sustained load on real endpoints with zero 5xx', async () => {
    const results = await Promise.all([
      load(`${base}/readyz`, 10),
      load(`${base}/api/v1/version`, 10),
      load(`${base}/status.json`, 10),
    ]);
    for (const r of results) {
      expect(r['5xx']).toBe(0);
      expect(r.errors).toBe(0);
      expect(r['2xx']).toBeGreaterThan(100);
    }
  }, 60_000);

  it('reports a database outage on /readyz and recovers by itself, without a process restart', async () => {
    const pidsBefore = webPids(server.output());
    proxy.cut();
    const down = await waitFor(async () => {
      const res = await fetch(`${base}/readyz`, { headers: { connection: 'close' } });
      return res.status === 503
        ? ((await res.json()) as { error: { code: string; details: unknown } })
        : undefined;
    }, 30_000);
    expect(down.error.code).toBe('unavailable');
    expect(down.error.details).toMatchObject({ components: { database: 'failed' } });
    // Liveness stays green: a database outage is no reason to restart web processes.
    expect(await status(`${base}/healthz`)).toBe(200);

    proxy.restore();
    await waitFor(async () => ((await status(`${base}/readyz`)) === 200 ? true : undefined), 60_000);
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push(await status(`${base}/readyz`));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(webPids(server.output())).toEqual(pidsBefore);
    expect(server.output()).not.toContain('child exited');
  }, 120_000);

  it('replaces a web process killed with SIGKILL under load', async () => {
    const [victim] = webPids(server.output());
    const running = load(`${base}/api/v1/version`, 8);
    await new Promise((r) => setTimeout(r, 1_000));
    process.kill(victim!, 'SIGKILL');
    const result = await running;
    // Requests in flight on the killed process may be cut, but none is answered with a 5xx.
    expect(result['5xx']).toBe(0);
    const replacement = await waitFor(
      async () => webPids(server.output()).find((p, i) => i >= 2 && p !== victim),
      60_000,
    );
    expect(replacement).not.toBe(victim);
    await waitFor(async () => ((await status(`${base}/readyz`)) === 200 ? true : undefined), 30_000);
  }, 120_000);

  it('drains on SIGTERM and exits 0', async () => {
    const running = load(`${base}/healthz`, 3);
    await new Promise((r) => setTimeout(r, 500));
    server.child.kill('SIGTERM');
    const result = await running;
    expect(result['5xx']).toBe(0);
    expect((await exited(server.child, 60_000)).code).toBe(0);
    expect(server.output()).toContain('draining');
  }, 90_000);
});
