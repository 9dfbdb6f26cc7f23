import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBrowserSlot, releaseBrowserSlot } from '../../../src/modules/scans/leases.ts';
import { runScanJob } from '../../../src/modules/scans/run.ts';
import { requestScan } from '../../../src/modules/scans/service.ts';
import { enqueueDueScans } from '../../../src/modules/schedules/service.ts';
import { planLimits } from '../../../src/modules/usage/plan-limits.ts';
import type { ScanOptions } from '../../../src/scanner/index.ts';
import { engines } from '../../helpers/engines.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { HAR, replayScanner } from './browser-helpers.ts';
import { addSite, createOrg, createServiceApp, signIn, type ServiceTestApp } from './helpers.ts';

const TARGET = 'https://example.test/';

describe.each(engines)('browser scans in the service on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let orgId: string;
  let siteId: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    // No scan workers: each test runs the job itself, with the scanner it needs.
    t = await createServiceApp(engine, { BROWSER_SCANS: 'true', BROWSER_SCAN_CONCURRENCY: '1' }, []);
    owner = await signIn(t, 'browser@example.com');
    orgId = await createOrg(t, owner);
    siteId = (await addSite(t, owner, orgId, TARGET)).id;
  }, 120_000);
  afterAll(async () => t?.close());

  const submit = (payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/scans`,
      headers: owner.headers,
      payload: { siteId, ...payload },
    });
  const scanRows = () => t.db.kysely.selectFrom('scans').select(['id', 'browser', 'source']).execute();
  const setPlan = (plan: string) =>
    t.db.kysely.updateTable('orgs').set({ plan }).where('id', '=', orgId).execute();
  /** Fills this month's browser scans up to the plan's limit, straight into the table. */
  const useUpBrowserScans = async (limit: number) => {
    const used = (await scanRows()).filter((s) => s.browser).length;
    for (let i = used; i < limit; i++)
      await t.db.kysely
        .insertInto('scans')
        .values({
          id: randomUUID(),
          org_id: orgId,
          site_id: siteId,
          target: TARGET,
          host: 'example.test',
          source: 'api',
          requested_by: null,
          status: 'cancelled',
          browser: true,
        })
        .execute();
  };

  it('runs a browser scan through the worker and keeps its screenshots and HAR with it', async () => {
    const res = await submit({});
    expect(res.statusCode).toBe(202);
    expect(res.json().browser).toBe(true);
    const seen: ScanOptions[] = [];
    await expect(
      runScanJob({ db: t.db, config: t.config, logger, scanner: replayScanner(seen) }, res.json().id),
    ).resolves.toEqual({ status: 'succeeded' });
    expect(seen[0]?.browser).toMatchObject({ chromiumPath: t.config.chromiumPath });

    const scan = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/scans/${res.json().id}`,
      headers: owner.headers,
    });
    // The golden artefact has a screenshot of the first visit only.
    expect(scan.json().evidence).toEqual(['none.har', 'screenshot-none.jpg']);
    const shot = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/scans/${res.json().id}/evidence/screenshot-none.jpg`,
      headers: owner.headers,
    });
    expect(shot.statusCode).toBe(200);
    expect(shot.headers['content-type']).toBe('image/jpeg');
    expect(shot.headers['x-content-type-options']).toBe('nosniff');
    expect(shot.headers['content-security-policy']).toContain('sandbox');
    expect(shot.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const har = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/scans/${res.json().id}/evidence/none.har`,
      headers: owner.headers,
    });
    expect(har.headers['content-disposition']).toMatch(/^attachment;/);
    expect(har.body).toBe(HAR);

    // Privacy findings enter the findings lifecycle like the others: open, with a deadline.
    const privacy = await t.db.kysely
      .selectFrom('findings')
      .select(['check_id', 'status', 'due_at'])
      .where('org_id', '=', orgId)
      .where('check_id', 'in', ['pre-consent-tracking', 'consent-rejection', 'fingerprinting', 'key-logging'])
      .execute();
    expect(privacy.map((f) => f.check_id).sort()).toEqual(
      expect.arrayContaining(['fingerprinting', 'key-logging', 'pre-consent-tracking']),
    );
    for (const f of privacy) {
      expect(f.status).toBe('open');
      expect(f.due_at).not.toBeNull();
    }

    // The evidence is the scan's: deleted with it (retention deletes scans after SCAN_KEEP_DAYS).
    await t.db.kysely.deleteFrom('scans').where('id', '=', res.json().id).execute();
    await expect(t.db.kysely.selectFrom('scan_evidence').select('name').execute()).resolves.toEqual([]);
  });

  it('refuses an unknown or malformed evidence name, and another organisation’s scan', async () => {
    const res = await submit({ browser: false });
    const id = res.json().id as string;
    const get = (url: string, headers = owner.headers) => t.app.inject({ url, headers });
    const missing = await get(`/api/v1/orgs/${orgId}/scans/${id}/evidence/screenshot-none.jpg`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const bad = await get(`/api/v1/orgs/${orgId}/scans/${id}/evidence/..%2F..%2Fetc`);
    expect(bad.statusCode).toBe(400);
    const outsider = await signIn(t, 'outsider-browser@example.com');
    const other = await get(`/api/v1/orgs/${orgId}/scans/${id}/evidence/x.har`, outsider.headers);
    expect(other.statusCode).toBe(404);
  });

  it('passes no browser to the scanner for a scan without one', async () => {
    const res = await submit({ browser: false });
    expect(res.json().browser).toBe(false);
    const seen: ScanOptions[] = [];
    await runScanJob({ db: t.db, config: t.config, logger, scanner: replayScanner(seen) }, res.json().id);
    expect(seen[0]?.browser).toBeUndefined();
    await expect(
      t.db.kysely.selectFrom('scan_evidence').select('name').where('scan_id', '=', res.json().id).execute(),
    ).resolves.toEqual([]);
  });

  it('gives browser scans while the plan’s last, then passive scans; asking beyond is refused', async () => {
    await setPlan('free');
    await useUpBrowserScans(planLimits.free.browserScansPerMonth);
    const quiet = await submit({});
    expect(quiet.statusCode).toBe(202);
    expect(quiet.json().browser).toBe(false);

    const before = await scanRows();
    const refused = await submit({ browser: true });
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error).toMatchObject({
      code: 'quota_exceeded',
      details: { quota: 'browserScansPerMonth', limit: planLimits.free.browserScansPerMonth, plan: 'free' },
    });
    expect(await scanRows()).toEqual(before);

    await setPlan('team');
    expect((await submit({})).json().browser).toBe(true);
  });

  it('includes the browser in scheduled scans only on plans whose schedules include it', async () => {
    await t.db.kysely
      .updateTable('sites')
      .set({ verified_at: new Date(Date.now() - 86_400_000), schedule: '0 * * * *', scheduled_for: null })
      .where('id', '=', siteId)
      .execute();
    const hour = 3_600_000;
    const tick = async (plan: string, at: number) => {
      await setPlan(plan);
      const [id] = await enqueueDueScans(t.db, t.config, t.jobs.boss, logger, new Date(at));
      return (await scanRows()).find((s) => s.id === id);
    };
    // The next occurrences after the site was added (an earlier one is never due).
    const now = Date.now() + hour;
    expect(planLimits.free.scheduledBrowserScans).toBe(false);
    await expect(tick('free', now)).resolves.toMatchObject({ source: 'schedule', browser: false });
    expect(planLimits.team.scheduledBrowserScans).toBe(true);
    await expect(tick('team', now + hour)).resolves.toMatchObject({ source: 'schedule', browser: true });
  });

  it('never opens a browser when the instance turns browser scans off', async () => {
    await setPlan('team');
    const config = { ...t.config, browserScans: false };
    const request = { orgId, siteId, source: 'ui' as const, requestedBy: owner.userId };
    await expect(requestScan(t.db, config, t.jobs.boss, request)).resolves.toMatchObject({ browser: false });
    await expect(requestScan(t.db, config, t.jobs.boss, { ...request, browser: true })).rejects.toMatchObject(
      {
        code: 'unavailable',
      },
    );
  });

  it('holds at most BROWSER_SCAN_CONCURRENCY browser slots across workers', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const claim = (scanId: string) => claimBrowserSlot(t.db, { scanId, cap: 1, ttlSeconds: 60 });
    await expect(claim(a)).resolves.toBe(true);
    await expect(claim(b)).resolves.toBe(false);
    await releaseBrowserSlot(t.db, a);
    await expect(claim(b)).resolves.toBe(true);
    await releaseBrowserSlot(t.db, b);
  });
});
