import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLease, releaseLease } from '../../../src/modules/scans/leases.ts';
import { runScanJob } from '../../../src/modules/scans/run.ts';
import { engines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/wait.ts';
import { closedPort, startTestSite, type RunningSite } from '../../sites/site.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { addSite, createOrg, createServiceApp, createToken, signIn, type ServiceTestApp } from './helpers.ts';

const HTML = '<!doctype html><html><head><title>fixture</title></head><body><p>hello</p></body></html>';

describe.each(engines)('scans as a service on %s', (engine) => {
  let t: ServiceTestApp;
  let target: RunningSite;
  let owner: SignedIn;
  let outsider: SignedIn;
  let orgId: string;
  let otherOrg: string;
  let siteId: string;
  let token: string;
  const bearer = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    target = await startTestSite({
      tls: false,
      http: true,
      routes: { '/': { headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML } },
    });
    t = await createServiceApp(engine, { SCAN_CONCURRENCY: '2', SCAN_WORKER_CONCURRENCY: '2' });
    owner = await signIn(t, 'owner@example.com');
    outsider = await signIn(t, 'outsider@example.com');
    orgId = await createOrg(t, owner);
    otherOrg = await createOrg(t, outsider, 'Other');
    siteId = (await addSite(t, owner, orgId, target.url)).id;
    token = await createToken(t, owner, orgId, ['scans:read', 'scans:write']);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await target?.close();
  });

  const submit = async (headers: Record<string, string> = bearer(), payload: object = { siteId }) =>
    t.app.inject({ method: 'POST', url: `/api/v1/orgs/${orgId}/scans`, headers, payload });
  const finished = (id: string) =>
    waitFor(
      async () => {
        const res = await t.app.inject({ url: `/api/v1/orgs/${orgId}/scans/${id}`, headers: bearer() });
        const body = res.json();
        return ['succeeded', 'failed', 'cancelled'].includes(body.status) ? body : undefined;
      },
      90_000,
      200,
    );
  const scanRows = () => t.db.kysely.selectFrom('scans').selectAll().orderBy('created_at').execute();

  it('a token with scans:write queues a scan; a worker runs it and stores the report and findings', async () => {
    const res = await submit();
    expect(res.statusCode).toBe(202);
    const queued = res.json();
    expect(queued).toMatchObject({
      siteId,
      status: 'queued',
      progress: 0,
      source: 'api_token',
      requestedBy: 'owner@example.com',
      grade: null,
    });
    const done = await finished(queued.id);
    expect(done.status).toBe('succeeded');
    expect(done.progress).toBe(100);
    expect(done.grade).toMatch(/^[A-F][+-]?$/);
    expect(done.diff.new).toBeGreaterThan(0);
    expect(done.diff).toMatchObject({ fixed: 0, regressed: 0, persisting: 0 });

    const report = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/scans/${queued.id}/report`,
      headers: bearer(),
    });
    expect(report.statusCode).toBe(200);
    const json = JSON.parse(report.body);
    expect(json.grade).toBe(done.grade);
    const sarif = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/scans/${queued.id}/report?format=sarif`,
      headers: bearer(),
    });
    expect(JSON.parse(sarif.body).version).toBe('2.1.0');

    const findings = await t.db.kysely
      .selectFrom('findings')
      .selectAll()
      .where('site_id', '=', siteId)
      .execute();
    expect(findings.length).toBe(done.diff.new);
    expect(findings.map((f) => f.check_id)).toContain('https');
    const high = findings.find((f) => f.severity === 'high');
    if (high) expect(high.due_at!.getTime() - high.first_seen_at.getTime()).toBe(3 * 86_400_000);
    const usage = await t.db.kysely
      .selectFrom('usage_events')
      .selectAll()
      .where('kind', '=', 'scan.requested')
      .execute();
    expect(usage.map((u) => [u.subject_id, u.decision])).toContainEqual([queued.id, 'allowed']);
  }, 120_000);

  it('a second scan compares with the first: the same findings persist', async () => {
    const done = await finished((await submit()).json().id);
    expect(done.status).toBe('succeeded');
    expect(done.diff).toMatchObject({ new: 0, fixed: 0, regressed: 0 });
    expect(done.diff.persisting).toBeGreaterThan(0);
  }, 120_000);

  it('a retried job stores exactly one result (idempotent by scan id)', async () => {
    const [first] = (await scanRows()).filter((s) => s.status === 'succeeded');
    const links = async () =>
      (await t.db.kysely.selectFrom('scan_findings').selectAll().where('scan_id', '=', first!.id).execute())
        .length;
    const before = { links: await links(), report: first!.report };
    const again = await runScanJob(
      { db: t.db, config: t.config, logger: pino({ level: 'silent' }) },
      first!.id,
    );
    expect(again).toEqual({ status: 'succeeded' });
    expect(await links()).toBe(before.links);
    const row = await t.db.kysely
      .selectFrom('scans')
      .selectAll()
      .where('id', '=', first!.id)
      .executeTakeFirstOrThrow();
    expect(row.report).toBe(before.report);
    expect(row.attempts).toBe(1);
  });

  it('two scans of the same host never run at once, even with two consumers', async () => {
    const a = (await submit()).json().id;
    const b = (await submit()).json().id;
    const [da, db] = [await finished(a), await finished(b)];
    expect([da.status, db.status]).toEqual(['succeeded', 'succeeded']);
    const [first, second] = [da, db].sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt));
    expect(Date.parse(second!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.finishedAt));
  }, 180_000);

  it('leases hold one scan per host and the global cap', async () => {
    const ids = ['1', '2', '3', '4'].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
    const lease = (i: number, host: string) =>
      claimLease(t.db, { scanId: ids[i]!, host, cap: 2, ttlSeconds: 60 });
    expect(await lease(0, 'a.test')).toBe(true);
    expect(await lease(1, 'a.test')).toBe(false);
    expect(await lease(1, 'b.test')).toBe(true);
    expect(await lease(2, 'c.test')).toBe(false);
    await releaseLease(t.db, ids[0]!);
    expect(await lease(2, 'c.test')).toBe(true);
    for (const id of ids) await releaseLease(t.db, id);
    // An expired lease (a worker that died) no longer blocks its host.
    expect(await claimLease(t.db, { scanId: ids[0]!, host: 'd.test', cap: 2, ttlSeconds: -1 })).toBe(true);
    expect(await lease(1, 'd.test')).toBe(true);
    for (const id of ids) await releaseLease(t.db, id);
  });

  it('cancels a queued scan; the job then stores nothing; a finished scan cannot be cancelled', async () => {
    const site = await t.db.kysely
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', siteId)
      .executeTakeFirstOrThrow();
    const queuedId = '00000000-0000-4000-8000-0000000000aa';
    await t.db.kysely
      .insertInto('scans')
      .values({
        id: queuedId,
        org_id: orgId,
        site_id: siteId,
        target: site.url,
        host: site.host,
        source: 'api',
        requested_by: null,
      })
      .execute();
    const cancel = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/scans/${id}/cancel`,
        headers: bearer(),
        payload: {},
      });
    const res = await cancel(queuedId);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('cancelled');
    expect(
      await runScanJob({ db: t.db, config: t.config, logger: pino({ level: 'silent' }) }, queuedId),
    ).toEqual({
      status: 'cancelled',
    });
    const again = await cancel(queuedId);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('scan_finished');
    const row = await t.db.kysely
      .selectFrom('scans')
      .selectAll()
      .where('id', '=', queuedId)
      .executeTakeFirstOrThrow();
    expect(row.report).toBeNull();
  });

  it('an unreachable site: the scan fails and is not graded (grade and score null), nothing recorded', async () => {
    const port = await closedPort();
    const dead = (await addSite(t, owner, orgId, `http://127.0.0.1:${port}/`)).id;
    const done = await finished((await submit(bearer(), { siteId: dead })).json().id);
    expect(done).toMatchObject({
      status: 'failed',
      grade: null,
      score: null,
      error: { code: 'connect_failed' },
    });
    expect(done.error.message).toBe(
      'The site did not accept a connection. Check that the server is up and the port is right.',
    );
    expect(done.error.detail).toContain(`connection to 127.0.0.1:${port} refused`);
    const findings = await t.db.kysely
      .selectFrom('findings')
      .select('id')
      .where('site_id', '=', dead)
      .execute();
    expect(findings).toEqual([]);
    const alerts = await t.db.kysely
      .selectFrom('alert_events')
      .select('id')
      .where('site_id', '=', dead)
      .execute();
    expect(alerts).toEqual([]);
    // Leave the organisation as the quota test below expects it: one site, its scans only.
    await t.db.kysely.deleteFrom('sites').where('id', '=', dead).execute();
  }, 120_000);

  it('scopes, roles, bad input and other organisations: exact errors, nothing queued', async () => {
    const before = await scanRows();
    const readOnly = await createToken(t, owner, orgId, ['scans:read']);
    const scoped = await submit({ authorization: `Bearer ${readOnly}` });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().error.code).toBe('insufficient_scope');
    const unknown = await submit(bearer(), { siteId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    const extra = await submit(bearer(), { siteId, fast: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.code).toBe('validation_failed');
    const anonymous = await submit({});
    expect(anonymous.statusCode).toBe(401);

    const theirSite = await addSite(t, outsider, otherOrg, 'https://theirs.example.test/');
    const crossSite = await submit(bearer(), { siteId: theirSite.id });
    expect(crossSite.statusCode).toBe(404);
    const mine = before[0]!.id;
    // Their own org with my scan id, and my org as a non-member: both not found.
    for (const url of [`/api/v1/orgs/${otherOrg}/scans/${mine}`, `/api/v1/orgs/${orgId}/scans/${mine}`]) {
      const res = await t.app.inject({ url, headers: outsider.headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    // The token belongs to orgId: another org's path is not found, whatever its scopes.
    const tokenElsewhere = await t.app.inject({ url: `/api/v1/orgs/${otherOrg}/scans`, headers: bearer() });
    expect(tokenElsewhere.statusCode).toBe(404);
    expect(await scanRows()).toEqual(before);
  });

  it('labels who started a scan (web app, CLI, API token) and explains a failure in plain words', async () => {
    const closed = await closedPort();
    const down = (await addSite(t, owner, orgId, `http://127.0.0.1:${closed}/`)).id;
    const fromUi = await submit(owner.headers, { siteId: down });
    expect(fromUi.json()).toMatchObject({ source: 'ui', requestedBy: 'owner@example.com' });
    const fromCli = await submit({ ...bearer(), 'x-vioscan-client': 'cli' }, { siteId: down });
    expect(fromCli.json().source).toBe('cli');
    const failed = await finished(fromUi.json().id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({
      code: 'connect_failed',
      message: 'The site did not accept a connection. Check that the server is up and the port is right.',
      detail: expect.stringContaining(`connection to 127.0.0.1:${closed} refused`),
    });
    const list = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/scans?siteId=${down}`,
      headers: owner.headers,
    });
    expect(
      list
        .json()
        .scans.map((s: { source: string }) => s.source)
        .sort(),
    ).toEqual(['cli', 'ui']);
    await finished(fromCli.json().id);
    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgId}/sites/${down}`,
      headers: owner.headers,
    });
  });

  it('enforces the monthly scan quota with quota_exceeded and records the denial', async () => {
    const site = await t.db.kysely
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', siteId)
      .executeTakeFirstOrThrow();
    const used = (await scanRows()).length;
    await t.db.kysely
      .insertInto('scans')
      .values(
        Array.from({ length: 100 - used }, (_, i) => ({
          id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          org_id: orgId,
          site_id: siteId,
          target: site.url,
          host: site.host,
          source: 'api' as const,
          requested_by: null,
          status: 'succeeded' as const,
        })),
      )
      .execute();
    const res = await submit();
    expect(res.statusCode).toBe(402);
    expect(res.json().error).toMatchObject({
      code: 'quota_exceeded',
      details: { quota: 'scansPerMonth', limit: 100, used: 100, plan: 'free' },
    });
    expect((await scanRows()).length).toBe(100);
    const usage = await t.app.inject({ url: `/api/v1/orgs/${orgId}/usage`, headers: owner.headers });
    const sites = await t.db.kysely.selectFrom('sites').select('id').where('org_id', '=', orgId).execute();
    expect(usage.json()).toEqual({
      plan: 'free',
      limits: { sites: 3, scansPerMonth: 100, browserScansPerMonth: 10, scheduledBrowserScans: false },
      used: { sites: sites.length, scansPerMonth: 100, browserScansPerMonth: 0 },
    });
    const denied = await t.db.kysely
      .selectFrom('usage_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('decision', '=', 'denied')
      .execute();
    expect(denied.map((d) => d.kind)).toEqual(['scan.requested']);
  });
});
