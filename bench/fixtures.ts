/**
 * The fixture corpus of the scan-service benchmark (bench/service.ts): loopback fixture sites and
 * the organisation and site rows that point at them.
 *
 * Every fixture site listens on its own loopback address (127.0.0.11, .12, …): scan leases keep
 * one scan per host (src/modules/scans/leases.ts), so sites sharing 127.0.0.1 would serialise.
 * Each response waits `latencyMs`, as a site across the internet would.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../src/db/kysely.ts';

const PAGE =
  '<!doctype html><html><head><title>fixture</title><script src="/app.js"></script></head>' +
  `<body>${'<p>text <img src="/i.png"></p>'.repeat(50)}</body></html>`;

/** One fixture site on its own loopback address; every answer waits `latencyMs`. */
export async function startFixture(
  i: number,
  latencyMs: number,
): Promise<{ url: string; host: string; close(): Promise<void> }> {
  const host = `127.0.0.${11 + i}`;
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      if (req.url === '/' || req.url?.startsWith('/?')) {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        });
        res.end(PAGE);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    }, latencyMs);
  });
  server.keepAliveTimeout = 1000;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://${host}:${port}/`,
    host,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Setup {
  orgId: string;
  siteIds: string[];
}

/** An organisation on the largest plan with one site per fixture (rows, as a member would add them). */
export async function seed(db: Database, fixtures: { url: string; host: string }[]): Promise<Setup> {
  const orgId = randomUUID();
  await db.kysely.insertInto('orgs').values({ id: orgId, name: 'Bench', plan: 'business' }).execute();
  const siteIds: string[] = [];
  for (const f of fixtures) {
    const id = randomUUID();
    siteIds.push(id);
    await db.kysely
      .insertInto('sites')
      .values({ id, org_id: orgId, url: f.url, host: f.host, name: f.host, verification_token: 'bench' })
      .execute();
  }
  return { orgId, siteIds };
}
