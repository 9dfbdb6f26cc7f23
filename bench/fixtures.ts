/**
 * The fixture corpus of the scan-service benchmark (bench/service.ts): loopback fixture sites and
 * the organisation and site rows that point at them.
 *
 * Every fixture site listens on its own loopback address (127.0.0.11, .12, …): scan leases keep
 * one scan per host (src/modules/scans/leases.ts), so sites sharing 127.0.0.1 would serialise.
 * Each response waits `latencyMs`, as a site across the internet would. For browser scans
 * (`--browser`) each page also loads a third party on 127.0.0.10 that tracks as trackers do.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../src/db/kysely.ts';

const page = (thirdParty?: string) =>
  '<!doctype html><html><head><title>fixture</title><script src="/app.js"></script>' +
  (thirdParty ? `<script src="${thirdParty}/t.js"></script>` : '') +
  `</head><body>${'<p>text <img src="/i.png"></p>'.repeat(50)}` +
  (thirdParty ? `<img src="${thirdParty}/pixel.gif">` : '') +
  '</body></html>';

/** What the third party's script does in the browser: a cookie, an identifier in storage, a beacon. */
const TRACKER_JS = (origin: string) => `
document.cookie = '_bench_id=' + Math.random().toString(36).slice(2) + '; max-age=31536000; path=/';
localStorage.setItem('bench_uid', crypto.randomUUID());
navigator.sendBeacon('${origin}/collect', 'page=' + encodeURIComponent(location.href));`;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(host: string, latencyMs: number, handle: Handler) {
  const server = http.createServer((req, res) => setTimeout(() => handle(req, res), latencyMs));
  server.keepAliveTimeout = 1000;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://${host}:${port}/`,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The browser benchmark's third party on 127.0.0.10 (a registrable "domain" of its own, so every
 * fixture site counts it as third party): a script that sets a cookie, stores an identifier and sends
 * a beacon, and a pixel that sets a cookie of its own.
 */
export async function startThirdParty(
  latencyMs: number,
): Promise<{ url: string; host: string; close(): Promise<void> }> {
  let origin = '';
  const server = await listen('127.0.0.10', latencyMs, (req, res) => {
    if (req.url === '/t.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(TRACKER_JS(origin));
    } else if (req.url === '/pixel.gif') {
      res.writeHead(200, { 'content-type': 'image/gif', 'set-cookie': 'uid=1; Max-Age=31536000; Path=/' });
      res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    } else {
      res.writeHead(204);
      res.end();
    }
  });
  origin = server.url.slice(0, -1);
  return server;
}

/**
 * One fixture site on its own loopback address; every answer waits `latencyMs`. With `thirdParty`
 * (an origin) its page loads that third party's script and pixel, as a site with a tracker does.
 */
export async function startFixture(
  i: number,
  latencyMs: number,
  thirdParty?: string,
): Promise<{ url: string; host: string; close(): Promise<void> }> {
  const PAGE = page(thirdParty);
  return listen(`127.0.0.${11 + i}`, latencyMs, (req, res) => {
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
  });
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
