import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, TEST_DATABASE_URL, uniqueSchema } from '../helpers/engines.ts';
import { freePort, startCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait.ts';

const webPids = (output: string) =>
  [...output.matchAll(/"pid":(\d+),"hostname":"[^"]*","scope":"ops","url"/g)].map((m) => Number(m[1]));

/** The access-log lines (src/http/plugins/request-log.ts) of requests to `url`. */
function accessLines(output: string, url: string): { pid: number; statusCode: number }[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"msg":"request completed"'))
    .map((line) => JSON.parse(line) as { pid: number; url: string; statusCode: number })
    .filter((entry) => entry.url === url);
}

/**
 * Nothing a user can reach lives in one process's memory: two web processes behind one port
 * (`vioscan serve`, WEB_CONCURRENCY=2, node:cluster spreading connections) on PostgreSQL, and a
 * public scan report made through one of them is answered by every one of them.
 */
describe('two web processes on PostgreSQL behind one port', () => {
  const schema = uniqueSchema('scale');
  let port: number;
  let server: { child: ChildProcess; output: () => string };
  let site: http.Server;
  let siteUrl: string;

  beforeAll(async () => {
    site = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>scale-out</title>');
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    port = await freePort();
    server = await startCli(
      ['serve', '--no-worker'],
      {
        DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'vioscan-scale-')), 'data'),
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        PORT: String(port),
        WEB_CONCURRENCY: '2',
        LOG_LEVEL: 'info',
        ALLOW_PRIVATE_TARGETS: 'true',
        MAX_EVENT_LOOP_DELAY_MS: '60000',
      },
      /VIOscan listening on/,
      90_000,
    );
    await waitFor(async () => (webPids(server.output()).length >= 2 ? true : undefined), 60_000);
  }, 120_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    if (site) await new Promise((r) => site.close(r));
    await dropSchemas(schema);
  });

  it('a public scan report made through one process is read through the others', async () => {
    const base = `http://127.0.0.1:${port}`;
    const created = await fetch(`${base}/api/v1/public-scans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: siteUrl }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const url = `/api/v1/public-scans/${id}`;
    // A new connection each time, so the cluster hands requests to both processes in turn.
    const pids = new Set(webPids(server.output()));
    const answered = await waitFor(
      async () => {
        const res = await fetch(`${base}${url}`, { headers: { connection: 'close' } });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { report: { target: string } }).report.target).toBe(siteUrl);
        const lines = accessLines(server.output(), url);
        return new Set(lines.map((l) => l.pid)).size >= 2 ? lines : undefined;
      },
      60_000,
      50,
    );
    expect(answered.every((l) => l.statusCode === 200)).toBe(true);
    expect([...new Set(answered.map((l) => l.pid))].every((pid) => pids.has(pid))).toBe(true);
  });
});
