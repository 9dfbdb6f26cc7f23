import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { OsvRecord } from '../../src/modules/advisories/osv.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../modules/advisories/fixtures');

/** Real OSV records (GitHub Advisory Database, CC-BY-4.0) for old versions of real packages. */
export const osvRecord = (id: string): OsvRecord =>
  JSON.parse(readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8')) as OsvRecord;
export const FIXTURE_LOCKFILE = path.join(FIXTURES, 'package-lock.json');

/** Plain x.y.z comparison: enough for the fixtures' ECOSYSTEM ranges. */
function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function affects(record: OsvRecord, name: string, version: string): boolean {
  return (record.affected ?? []).some(
    (a) =>
      a.package?.ecosystem === 'npm' &&
      a.package.name === name &&
      (a.ranges ?? []).some((r) => {
        const introduced = r.events.find((e) => e.introduced)?.introduced ?? '0';
        const fixed = r.events.find((e) => e.fixed)?.fixed;
        return compare(version, introduced) >= 0 && (!fixed || compare(version, fixed) < 0);
      }),
  );
}

export interface FakeOsv {
  url: string;
  /** Every request: method, path and parsed JSON body. */
  requests: { method: string; path: string; body: unknown }[];
  records: Map<string, OsvRecord>;
  /** When set, every request is answered with this status. */
  failWith?: number;
  /** When set, querybatch answers at most this many ids per query, then a next_page_token. */
  pageSize?: number;
  close(): Promise<void>;
}

/**
 * A loopback OSV API: `POST /v1/querybatch` matches each query's npm package and version against
 * the records' affected ranges and answers ids only (as OSV does); `GET /v1/vulns/{id}` the record.
 */
export async function startFakeOsv(records: OsvRecord[]): Promise<FakeOsv> {
  const fake: FakeOsv = {
    url: '',
    requests: [],
    records: new Map(records.map((r) => [r.id, r])),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as unknown) : undefined;
      fake.requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (fake.failWith) return send(fake.failWith, { code: 13, message: 'internal error' });
      if (req.method === 'POST' && req.url === '/v1/querybatch') {
        const { queries } = body as {
          queries: { package: { name: string; ecosystem: string }; version: string; page_token?: string }[];
        };
        const results = queries.map((q) => {
          const ids = [...fake.records.values()]
            .filter((r) => q.package.ecosystem === 'npm' && affects(r, q.package.name, q.version))
            .map((r) => r.id);
          const start = q.page_token ? Number(q.page_token) : 0;
          const end = fake.pageSize ? start + fake.pageSize : ids.length;
          const page = ids.slice(start, end).map((id) => ({ id, modified: fake.records.get(id)!.modified }));
          if (!page.length) return {};
          return end < ids.length ? { vulns: page, next_page_token: String(end) } : { vulns: page };
        });
        return send(200, { results });
      }
      const vuln = /^\/v1\/vulns\/([^/]+)$/.exec(req.url ?? '');
      const record = vuln ? fake.records.get(decodeURIComponent(vuln[1]!)) : undefined;
      if (req.method === 'GET' && record) return send(200, record);
      send(404, { code: 5, message: 'Bug not found.' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** A loopback port with nothing listening: an advisory source that cannot be reached. */
export async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
