import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSED_FILE_PATHS } from '../../../src/scanner/gather/exposed-files.ts';
import { engines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { addSite, createOrg, createServiceApp, createToken, signIn, type ServiceTestApp } from './helpers.ts';

const ACTIVE_CHECKS = ['exposed-files', 'directory-listing', 'http-trace'];

/**
 * Passive scans may target any site; active checks run only on a verified one (issue 6): the
 * service makes a verified site's scans active, refuses `active: true` for an unverified site,
 * and the worker passes the decision to the scanner.
 */
describe.each(engines)('active checks in the scan service on %s', (engine) => {
  let t: ServiceTestApp;
  let target: RunningSite;
  let owner: SignedIn;
  let orgId: string;
  let siteId: string;
  let token: string;
  let verificationToken = '';

  beforeAll(async () => {
    target = await startTestSite({
      tls: false,
      routes: {
        '/': {
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<!doctype html><title>x</title>',
        },
        '/.env': { headers: { 'content-type': 'text/plain' }, body: 'DB_PASSWORD=hunter2\n' },
        '/.well-known/vioscan-verification': () => ({
          headers: { 'content-type': 'text/plain' },
          body: verificationToken,
        }),
      },
    });
    t = await createServiceApp(engine);
    owner = await signIn(t, 'active@example.com');
    orgId = await createOrg(t, owner);
    const site = await addSite(t, owner, orgId, target.url);
    siteId = site.id;
    verificationToken = site.verification.token;
    token = await createToken(t, owner, orgId, ['scans:read', 'scans:write']);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await target?.close();
  });

  const bearer = () => ({ authorization: `Bearer ${token}` });
  const submit = (payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/orgs/${orgId}/scans`, headers: bearer(), payload });
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
  const activeChecks = async (scanId: string) => {
    const res = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/scans/${scanId}/report`,
      headers: bearer(),
    });
    const report = JSON.parse(res.body) as { checks: { id: string; outcome: string }[] };
    return Object.fromEntries(
      report.checks.filter((c) => ACTIVE_CHECKS.includes(c.id)).map((c) => [c.id, c.outcome]),
    );
  };
  const probes = () =>
    target.requests.filter((r) => (EXPOSED_FILE_PATHS as readonly string[]).includes(r.path));
  const counts = async () => ({
    scans: (await t.db.kysely.selectFrom('scans').select('id').execute()).length,
    usage: (await t.db.kysely.selectFrom('usage_events').select('id').execute()).length,
  });

  it('refuses active: true for an unverified site with site_not_verified, queueing nothing', async () => {
    const before = await counts();
    const res = await submit({ siteId, active: true });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toEqual({
      code: 'site_not_verified',
      message: 'Active checks run only on a verified site: verify ownership first, or scan without active.',
    });
    expect(await counts()).toEqual(before);
    const bad = await submit({ siteId, active: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(await counts()).toEqual(before);
  });

  it('scans an unverified site passively: the active checks are skipped and no probe is sent', async () => {
    const res = await submit({ siteId });
    expect(res.statusCode).toBe(202);
    expect(res.json().active).toBe(false);
    const done = await finished(res.json().id);
    expect(done.status).toBe('succeeded');
    expect(await activeChecks(done.id)).toEqual({
      'exposed-files': 'exposed-files-skipped',
      'directory-listing': 'directory-listing-skipped',
      'http-trace': 'http-trace-skipped',
    });
    expect(probes()).toEqual([]);
    expect(target.requests.some((r) => r.method === 'TRACE')).toBe(false);
  }, 120_000);

  it('runs the active checks on a verified site by default, and stores their findings', async () => {
    const verify = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/sites/${siteId}/verify`,
      headers: owner.headers,
      payload: { method: 'file' },
    });
    expect(verify.statusCode).toBe(200);
    expect(verify.json().verification.verified).toBe(true);

    const res = await submit({ siteId });
    expect(res.statusCode).toBe(202);
    expect(res.json().active).toBe(true);
    const done = await finished(res.json().id);
    expect(done.status).toBe('succeeded');
    expect(await activeChecks(done.id)).toEqual({
      'exposed-files': 'exposed-files-found',
      'directory-listing': 'directory-listing-none',
      'http-trace': 'http-trace-disabled',
    });
    expect(probes().map((r) => r.path)).toContain('/.env');
    const findings = await t.db.kysely
      .selectFrom('findings')
      .select(['check_id', 'severity'])
      .where('org_id', '=', orgId)
      .where('check_id', '=', 'exposed-files')
      .execute();
    expect(findings).toEqual([{ check_id: 'exposed-files', severity: 'critical' }]);

    // An explicit active: false stays passive even on a verified site.
    const sent = probes().length;
    const passive = await submit({ siteId, active: false });
    expect(passive.json().active).toBe(false);
    expect((await finished(passive.json().id)).status).toBe('succeeded');
    expect(probes()).toHaveLength(sent);
  }, 180_000);
});
