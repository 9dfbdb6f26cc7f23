import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/engines.ts';
import { exited, freePort, startCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';

const webPids = (output: string) =>
  [...output.matchAll(/"pid":(\d+),"hostname":"[^"]*","scope":"ops","url"/g)].map((m) => Number(m[1]));

/** Sends headers and half a body, lets `between` run, then the rest; resolves with the raw response. */
function slowRequest(port: number, between: () => void): Promise<{ response: string; earlyBytes: number }> {
  const body = JSON.stringify({ slow: 'x'.repeat(40) });
  const half = Math.floor(body.length / 2);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let earlyBytes = 0;
    let restSent = false;
    socket.on('data', (d) => {
      if (!restSent) earlyBytes += d.length;
      response += d.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ response, earlyBytes }));
    socket.write(
      `POST /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
    );
    setTimeout(() => {
      between();
      setTimeout(() => {
        restSent = true;
        socket.write(body.slice(half));
      }, 1_000);
    }, 300);
  });
}

describe('vioscan serve on PostgreSQL with several web processes', () => {
  const schema = uniqueSchema('serve');
  let port: number;
  let server: { child: ChildProcess; output: () => string };

  beforeAll(async () => {
    port = await freePort();
    const env = {
      DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'vioscan-pg-')), 'data'),
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      PORT: String(port),
      WEB_CONCURRENCY: '2',
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '100000',
    };
    server = await startCli(['serve'], env, /VIOscan worker running/, 90_000);
    await waitFor(async () => (webPids(server.output()).length >= 2 ? true : undefined), 60_000);
  }, 120_000);

  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await dropSchemas(schema);
  });

  it('keeps answering while a killed web process is replaced', async () => {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 30_000);
    // /healthz is never shed and never touches the database: it shows the processes answering.
    const url = `${base}/healthz`;
    const [victim] = webPids(server.output());
    process.kill(victim!, 'SIGKILL');
    await waitFor(async () => (server.output().includes('child exited; restarting') ? true : undefined));
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await fetch(url, { headers: { connection: 'close' } })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const replacement = await waitFor(
      async () => webPids(server.output()).find((p, i) => i >= 2 && p !== victim),
      60_000,
    );
    expect(replacement).toBeGreaterThan(0);
  }, 120_000);

  it('on SIGTERM lets an in-flight request finish, then exits 0', async () => {
    const { response, earlyBytes } = await slowRequest(port, () => server.child.kill('SIGTERM'));
    expect(earlyBytes).toBe(0);
    expect(response).toMatch(/^HTTP\/1\.1 404 /);
    expect(response).toContain('"code":"not_found"');
    expect((await exited(server.child)).code).toBe(0);
  }, 60_000);
});
