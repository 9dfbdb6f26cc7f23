import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import { createTestApp, type TestApp } from '../../http/app-helpers.ts';
import { PUBLIC_SCAN_LIMIT } from '../../../src/modules/public-scan/routes.ts';

const FIXTURE = '<!doctype html><html><head><title>fixture</title></head><body><p>hello</p></body></html>';

describe.each(engines)('public scans on %s', (engine) => {
  let site: RunningSite;
  let open: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    site = await startTestSite({
      tls: false,
      http: true,
      routes: {
        '/': {
          headers: { 'content-type': 'text/html; charset=utf-8', server: 'Apache/2.4.1 (<script>)' },
          body: FIXTURE,
        },
      },
    });
    open = await createTestApp(engine, { env: { ALLOW_PRIVATE_TARGETS: 'true' } });
    guarded = await createTestApp(engine, { db: open.db });
  });
  afterAll(async () => {
    await guarded.close();
    await open.close();
    await site.close();
  });

  it('scans a site, returns the report and keeps it for its link and downloads', async () => {
    const created = await open.app.inject({
      method: 'POST',
      url: '/api/v1/public-scans',
      payload: { url: site.url },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json();
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.report.target).toBe(site.url.endsWith('/') ? site.url : `${site.url}/`);
    expect(body.report.grade).toMatch(/^[A-F][+-]?$/);
    expect(body.report.findings.some((f: { checkId: string }) => f.checkId === 'https')).toBe(true);
    expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(3_600_000);

    const again = await open.app.inject({ url: `/api/v1/public-scans/${body.id}` });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(body);

    const md = await open.app.inject({ url: `/api/v1/public-scans/${body.id}/report?format=md` });
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toBe('attachment; filename="vioscan-127.0.0.1.md"');
    expect(md.body).toContain(body.report.grade);

    const html = await open.app.inject({ url: `/api/v1/public-scans/${body.id}/report?format=html` });
    expect(html.headers['content-disposition']).toMatch(/^attachment;/);
    expect(html.body).not.toContain('(<script>)');

    const sarif = await open.app.inject({ url: `/api/v1/public-scans/${body.id}/report?format=sarif` });
    expect(JSON.parse(sarif.body).version).toBe('2.1.0');

    const json = await open.app.inject({ url: `/api/v1/public-scans/${body.id}/report` });
    expect(JSON.parse(json.body).grade).toBe(body.report.grade);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    const unknown = await open.app.inject({ url: '/api/v1/public-scans/AAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    const malformed = await open.app.inject({ url: '/api/v1/public-scans/..%2f..%2fetc' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_failed');
  });

  it('refuses a loopback target unless private targets are allowed, without contacting it', async () => {
    const before = site.requests.length;
    const res = await guarded.app.inject({
      method: 'POST',
      url: '/api/v1/public-scans',
      payload: { url: site.url },
      remoteAddress: '192.0.2.10',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({
      code: 'target_not_allowed',
      message: 'This scan target is not allowed.',
    });
    expect(site.requests.length).toBe(before);
  });

  it('refuses a URL that is not http(s) with a field error', async () => {
    const res = await guarded.app.inject({
      method: 'POST',
      url: '/api/v1/public-scans',
      payload: { url: 'not a url' },
      remoteAddress: '192.0.2.11',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.details[0].path).toBe('body.url');
  });

  it(`limits each client to ${PUBLIC_SCAN_LIMIT.max} scans per window`, async () => {
    const post = () =>
      guarded.app.inject({
        method: 'POST',
        url: '/api/v1/public-scans',
        payload: { url: 'http://10.1.2.3/' },
        remoteAddress: '192.0.2.99',
      });
    for (let i = 0; i < PUBLIC_SCAN_LIMIT.max; i++) expect((await post()).statusCode).toBe(422);
    const limited = await post();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    const other = await guarded.app.inject({
      method: 'POST',
      url: '/api/v1/public-scans',
      payload: { url: 'http://10.1.2.3/' },
      remoteAddress: '192.0.2.100',
    });
    expect(other.statusCode).toBe(422);
  });
});
