/**
 * Active checks end to end on loopback sites: an exposed site gets findings from all three,
 * a clean one none, and a passive scan sends none of the probes (the checks are skipped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE_PROBE_LIMIT } from '../../../src/scanner/gather/index.ts';
import { DIRECTORY_LISTING_PATHS } from '../../../src/scanner/gather/directory-listing.ts';
import { EXPOSED_FILE_PATHS } from '../../../src/scanner/gather/exposed-files.ts';
import { scan } from '../../../src/scanner/index.ts';
import type { Report } from '../../../src/scanner/types.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';

const ACTIVE_CHECKS = ['exposed-files', 'directory-listing', 'http-trace'];
const PAGE = {
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!doctype html><title>x</title>',
};

let exposed: RunningSite;
let clean: RunningSite;

beforeAll(async () => {
  exposed = await startTestSite({
    tls: false,
    routes: {
      '/': (req) =>
        req.method === 'TRACE'
          ? {
              headers: { 'content-type': 'message/http' },
              body: `TRACE / HTTP/1.1\r\nhost: ${String(req.headers.host)}\r\n\r\n`,
            }
          : PAGE,
      '/.git/HEAD': { headers: { 'content-type': 'text/plain' }, body: 'ref: refs/heads/main\n' },
      '/.env': { headers: { 'content-type': 'text/plain' }, body: 'DB_PASSWORD=hunter2\n' },
      '/backup.zip': {
        headers: { 'content-type': 'application/zip' },
        body: Buffer.from('PK\u0003\u0004rest'),
      },
      '/uploads/': {
        headers: { 'content-type': 'text/html' },
        body: '<html><head><title>Index of /uploads</title></head><body><h1>Index of /uploads</h1>',
      },
    },
  });
  // Soft 404s everywhere (a SPA answering every path with its page), TRACE answered like GET.
  clean = await startTestSite({ tls: false, routes: { '*': PAGE } });
});

afterAll(async () => {
  await exposed.close();
  await clean.close();
});

const checks = (report: Report) =>
  Object.fromEntries(report.checks.filter((c) => ACTIVE_CHECKS.includes(c.id)).map((c) => [c.id, c.outcome]));
const activeFindings = (report: Report) => report.findings.filter((f) => ACTIVE_CHECKS.includes(f.checkId));

describe('active checks', () => {
  it('find exposed files, a directory listing and TRACE on an exposed site, within the request budget', async () => {
    const passive = exposed.requests.length;
    const { report: before } = await scan(exposed.url, { allowPrivate: true });
    const passiveRequests = exposed.requests.length - passive;

    const start = exposed.requests.length;
    const { report } = await scan(exposed.url, { allowPrivate: true, active: true });
    expect(checks(report)).toEqual({
      'exposed-files': 'exposed-files-found',
      'directory-listing': 'directory-listing-enabled',
      'http-trace': 'http-trace-enabled',
    });
    const titles = activeFindings(report).map((f) => `${f.severity} ${f.title}`);
    expect(titles).toEqual(
      expect.arrayContaining([
        'critical /.git/HEAD is publicly readable',
        'critical /.env is publicly readable',
        'high /backup.zip is publicly readable',
        'medium /uploads/ lists its files',
        'low The server answers HTTP TRACE',
      ]),
    );
    const disclosure = (r: Report) => r.categories.find((c) => c.category === 'disclosure')!.score;
    expect(disclosure(report)).toBeLessThan(disclosure(before));
    const sent = exposed.requests.slice(start);
    expect(sent.length).toBeLessThanOrEqual(passiveRequests + ACTIVE_PROBE_LIMIT);
    expect(ACTIVE_PROBE_LIMIT).toBe(EXPOSED_FILE_PATHS.length + DIRECTORY_LISTING_PATHS.length + 1);
    expect(sent.filter((r) => r.method === 'TRACE')).toHaveLength(1);
  });

  it('find nothing on a site without exposures (soft 404s, TRACE answered with the page)', async () => {
    const { report } = await scan(clean.url, { allowPrivate: true, active: true });
    expect(checks(report)).toEqual({
      'exposed-files': 'exposed-files-none',
      'directory-listing': 'directory-listing-none',
      'http-trace': 'http-trace-disabled',
    });
    expect(activeFindings(report)).toEqual([]);
  });

  it('are skipped, and send nothing, when the scan is not active', async () => {
    const start = exposed.requests.length;
    const { report } = await scan(exposed.url, { allowPrivate: true });
    expect(report.checks.filter((c) => ACTIVE_CHECKS.includes(c.id)).map((c) => c.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(activeFindings(report)).toEqual([]);
    const probed = new Set<string>([...EXPOSED_FILE_PATHS, ...DIRECTORY_LISTING_PATHS]);
    const sent = exposed.requests.slice(start);
    expect(sent.filter((r) => probed.has(r.path) || r.method === 'TRACE')).toEqual([]);
  });
});
