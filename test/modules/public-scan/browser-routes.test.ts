import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../../src/jobs/types.ts';
import { PUBLIC_BROWSER_SCAN_QUEUE, publicBrowserScan } from '../../../src/jobs/public-browser-scan.ts';
import { onJobAnnounced } from '../../../src/jobs/wake.ts';
import { PUBLIC_BROWSER_SCAN_LIMIT } from '../../../src/modules/public-scan/service.ts';
import type { Artefacts, Report } from '../../../src/scanner/types.ts';
import { engines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createServiceApp, type ServiceTestApp } from '../scans/helpers.ts';

const report = (target: string) =>
  ({ target, grade: 'C', findings: [], startedAt: '2026-01-01T00:00:00.000Z' }) as unknown as Report;

/**
 * The API with a real pg-boss queue and the public-browser-scan job in this process. CHROMIUM_PATH is
 * an executable that is not a browser: the stage is on (the file is there) and fails as a broken
 * installation would, through the whole path (POST → job → GET).
 */
describe.each(engines)('anonymous browser scans through the API and the queue on %s', (engine) => {
  let t: ServiceTestApp;
  beforeAll(async () => {
    t = await createServiceApp(
      engine,
      { BROWSER_SCANS: 'true', CHROMIUM_PATH: '/bin/false', PUBLIC_BROWSER_SCAN_CONCURRENCY: '1' },
      [publicBrowserScan as JobDefinition],
      {
        publicScans: {
          scan: async (url) => ({
            report: report(url),
            artefacts: { target: url, timings: {} } as unknown as Artefacts,
          }),
        },
      },
    );
  });
  /** An anonymous scan request from `ip`. */
  const requestScan = (url: string, ip: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/public-scans', payload: { url }, remoteAddress: ip });

  afterAll(async () => {
    // Every stage queued here has run (each fails at once: no browser) and let go of its slot, so
    // no job is mid-run when the queue stops and the database closes.
    if (t)
      await waitFor(async () => {
        const [open, slots] = await Promise.all([
          t.db.kysely
            .selectFrom('public_scans')
            .select('id')
            .where('browser_status', 'in', ['queued', 'running'])
            .execute(),
          t.db.kysely.selectFrom('public_browser_leases').select('slot').execute(),
        ]);
        return open.length === 0 && slots.length === 0 ? true : undefined;
      }, 60_000);
    await t?.close();
  });

  it('answers with the passive report and a queue position, then says why the privacy part is missing', async () => {
    const created = await requestScan('http://127.0.0.1/', '203.0.113.1');
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.report).toEqual(report('http://127.0.0.1/'));
    expect(['queued', 'running', 'failed']).toContain(body.browser.status);
    if (body.browser.status === 'queued') expect(body.browser.position).toBeGreaterThanOrEqual(1);

    const finished = await waitFor(async () => {
      const res = await t.app.inject({ url: `/api/v1/public-scans/${body.id}` });
      const scan = res.json();
      return scan.browser.status === 'failed' ? scan : undefined;
    }, 60_000);
    expect(finished.report).toEqual(body.report);
    expect(finished.browser.error.code).toBe('browser_unavailable');
    expect(finished.browser.error.message).toMatch(/^Chromium could not start/);
  });

  it('serves a finished scan’s screenshots as sandboxed JPEGs, and a clear 4xx for any other visit or scan', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9]);
    const id = 'screenshot-test-0123456789';
    const now = Date.now();
    await t.db.kysely
      .insertInto('public_scans')
      .values({
        id,
        target: 'http://127.0.0.1/shot',
        report: JSON.stringify(report('http://127.0.0.1/shot')),
        created_at: new Date(now),
        expires_at: new Date(now + 3_600_000),
        browser_status: 'done',
        screenshots: JSON.stringify({ reject: jpeg.toString('base64') }),
      })
      .execute();
    expect((await t.app.inject({ url: `/api/v1/public-scans/${id}` })).json().screenshots).toEqual([
      'reject',
    ]);

    const shot = await t.app.inject({ url: `/api/v1/public-scans/${id}/screenshots/reject` });
    expect(shot.statusCode).toBe(200);
    expect(shot.rawPayload).toEqual(jpeg);
    expect(shot.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });

    const missing = await t.app.inject({ url: `/api/v1/public-scans/${id}/screenshots/gpc` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('This report has no screenshot of that visit.');
    const badVisit = await t.app.inject({ url: `/api/v1/public-scans/${id}/screenshots/..%2Freport` });
    expect(badVisit.statusCode).toBe(400);
    expect(badVisit.json().error.code).toBe('validation_failed');
    const unknown = await t.app.inject({
      url: '/api/v1/public-scans/no-such-scan-0123456/screenshots/reject',
    });
    expect(unknown.statusCode).toBe(404);

    // Expiry is immutable to the application; a test moves it back by hand.
    await sql`update public_scans set expires_at = ${new Date(now - 1000)} where id = ${id}`.execute(
      t.db.kysely,
    );
    const expired = await t.app.inject({ url: `/api/v1/public-scans/${id}/screenshots/reject` });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('report_expired');
  });

  it('announces the queued browser stage, so an idle worker takes it without waiting for its poll', async () => {
    const announced: string[] = [];
    await onJobAnnounced(t.db, (queue) => announced.push(queue));
    const created = await requestScan('http://127.0.0.1/announced', '203.0.113.3');
    expect(created.statusCode).toBe(201);
    expect(await waitFor(async () => (announced.length > 0 ? announced : undefined), 10_000)).toEqual([
      PUBLIC_BROWSER_SCAN_QUEUE,
    ]);
  });

  it('answers 429 with the error envelope once an address has used its browser scans', async () => {
    const post = () => requestScan('http://127.0.0.1/again', '203.0.113.2');
    for (let i = 0; i < PUBLIC_BROWSER_SCAN_LIMIT.max; i++) expect((await post()).statusCode).toBe(201);
    const before = await t.db.kysely.selectFrom('public_scans').select('id').orderBy('id').execute();
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    const { error } = refused.json();
    expect(error).toMatchObject({
      code: 'rate_limited',
      message: 'At most 3 scans with the browser visits per hour from one address; retry later.',
      details: { limit: 3 },
    });
    expect(error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(await t.db.kysely.selectFrom('public_scans').select('id').orderBy('id').execute()).toEqual(before);
  });
});
