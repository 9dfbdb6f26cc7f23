import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSiteUrl } from '../../../src/modules/sites/service.ts';
import { engines } from '../../helpers/engines.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import { addSite, createServiceApp, signIn, type ServiceTestApp } from '../scans/helpers.ts';
import { twoOrgs } from '../service-fixtures.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { startDnsStub } from './dns-stub.ts';

describe('site URLs', () => {
  it('normalises the URL and refuses private literals unless private targets are allowed', () => {
    expect(parseSiteUrl('HTTPS://WWW.Example.test/a?b=1#c', false)).toEqual({
      url: 'https://www.example.test/a',
      host: 'www.example.test',
    });
    expect(() => parseSiteUrl('http://127.0.0.1:8080/', false)).toThrow(/not allowed/);
    expect(() => parseSiteUrl('http://localhost/', false)).toThrow(/not allowed/);
    expect(parseSiteUrl('http://127.0.0.1:8080/', true).host).toBe('127.0.0.1');
    expect(() => parseSiteUrl('ftp://example.test/', true)).toThrow(/not allowed/);
    expect(() => parseSiteUrl('not a url', true)).toThrow(/validation/);
  });

  it('refuses metadata addresses in every spelling even when private targets are allowed', () => {
    for (const url of [
      'http://169.254.169.254/',
      'http://[::ffff:169.254.169.254]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[::a9fe:a9fe]/',
      'http://[2002:a9fe:a9fe::1]/',
      'http://168.63.129.16/',
      'http://metadata.google.internal/',
    ])
      expect(() => parseSiteUrl(url, true), url).toThrow(/not allowed/);
  });
});

describe.each(engines)('sites and ownership verification on %s', (engine) => {
  let t: ServiceTestApp;
  let dns: Awaited<ReturnType<typeof startDnsStub>>;
  let site: RunningSite;
  let served = 'nothing';
  let owner: SignedIn;
  let outsider: SignedIn;
  let orgId: string;
  let otherOrg: string;

  beforeAll(async () => {
    dns = await startDnsStub();
    site = await startTestSite({
      tls: false,
      http: true,
      routes: {
        '/.well-known/vioscan-verification': () => ({
          headers: { 'content-type': 'text/plain' },
          body: `${served}\n`,
        }),
      },
    });
    t = await createServiceApp(engine, { VERIFICATION_DNS_SERVERS: dns.server });
    ({ owner, outsider, orgId, otherOrg } = await twoOrgs(t));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await site?.close();
    await dns?.close();
  });

  const sitesOf = async (org: string) =>
    t.db.kysely.selectFrom('sites').selectAll().where('org_id', '=', org).orderBy('created_at').execute();

  it('adds a site with verification instructions, lists it, and refuses a duplicate', async () => {
    const created = await addSite(t, owner, orgId, site.url);
    const res = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/sites/${created.id}`,
      headers: owner.headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.verification.verified).toBe(false);
    expect(body.verification.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(body.verification.file).toEqual({
      url: new URL('/.well-known/vioscan-verification', site.url).href,
      body: body.verification.token,
    });
    expect(body.verification.dns.name).toBe('_vioscan-verification.127.0.0.1');
    const list = await t.app.inject({ url: `/api/v1/orgs/${orgId}/sites`, headers: owner.headers });
    expect(list.json().sites.map((s: { id: string }) => s.id)).toContain(created.id);
    const dup = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/sites`,
      headers: owner.headers,
      payload: { url: site.url },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    expect((await sitesOf(orgId)).length).toBe(1);
  });

  it('bad input gets the exact error and changes nothing', async () => {
    const before = await sitesOf(orgId);
    for (const [payload, status, code] of [
      [{ url: 'javascript:alert(1)' }, 422, 'target_not_allowed'],
      [{ url: 'not a url' }, 400, 'validation_failed'],
      [{ url: 'https://a.example.test/', extra: 1 }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/sites`,
        headers: owner.headers,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect(await sitesOf(orgId)).toEqual(before);
  });

  it('another organisation’s site does not exist for you (404), and nothing changes', async () => {
    const theirs = await addSite(t, outsider, otherOrg, 'https://theirs.example.test/');
    const before = await sitesOf(otherOrg);
    for (const [method, url, payload] of [
      ['GET', `/api/v1/orgs/${orgId}/sites/${theirs.id}`, undefined],
      ['DELETE', `/api/v1/orgs/${orgId}/sites/${theirs.id}`, undefined],
      ['POST', `/api/v1/orgs/${orgId}/sites/${theirs.id}/verify`, { method: 'file' }],
      ['GET', `/api/v1/orgs/${otherOrg}/sites/${theirs.id}`, undefined],
      ['GET', `/api/v1/orgs/${otherOrg}/sites`, undefined],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: owner.headers,
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect(await sitesOf(otherOrg)).toEqual(before);
  });

  it('verifies by the file at /.well-known/vioscan-verification, fetched through the SSRF guard', async () => {
    const [row] = await sitesOf(orgId);
    const verify = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/sites/${row!.id}/verify`,
        headers: owner.headers,
        payload: { method: 'file' },
      });
    served = 'someone-elses-token';
    const wrong = await verify();
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({
      code: 'verification_failed',
      details: { method: 'file', reason: 'token_mismatch' },
    });
    expect((await sitesOf(orgId))[0]!.verified_at).toBeNull();
    served = row!.verification_token;
    const ok = await verify();
    expect(ok.statusCode).toBe(200);
    expect(ok.json().verification).toMatchObject({ verified: true, method: 'file' });
    expect(site.requests.some((r) => r.path === '/.well-known/vioscan-verification')).toBe(true);
  });

  it('verifies by a DNS TXT record, asked of the configured (loopback) resolver', async () => {
    const created = await addSite(t, owner, orgId, 'https://www.example.test/');
    const verify = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/sites/${created.id}/verify`,
        headers: owner.headers,
        payload: { method: 'dns' },
      });
    const missing = await verify();
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.details).toEqual({ method: 'dns', reason: 'no_record' });
    dns.txt.set('_vioscan-verification.www.example.test', ['vioscan-verification=wrong']);
    expect((await verify()).json().error.details.reason).toBe('token_mismatch');
    dns.txt.set('_vioscan-verification.www.example.test', [
      `vioscan-verification=${created.verification.token}`,
    ]);
    const ok = await verify();
    expect(ok.statusCode).toBe(200);
    expect(ok.json().verification).toMatchObject({ verified: true, method: 'dns' });
    expect(dns.queries).toContain('_vioscan-verification.www.example.test');
  });

  it('enforces the plan’s site quota with quota_exceeded and records the decision', async () => {
    expect((await sitesOf(orgId)).length).toBe(2);
    await addSite(t, owner, orgId, 'https://three.example.test/');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/sites`,
      headers: owner.headers,
      payload: { url: 'https://four.example.test/' },
    });
    expect(res.statusCode).toBe(402);
    expect(res.json().error).toMatchObject({
      code: 'quota_exceeded',
      details: { quota: 'sites', limit: 3, used: 3, plan: 'free' },
    });
    expect((await sitesOf(orgId)).length).toBe(3);
    const events = await t.db.kysely
      .selectFrom('usage_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .execute();
    expect(events.filter((e) => e.kind === 'site.created' && e.decision === 'allowed')).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'site.created' && e.decision === 'denied')).toHaveLength(1);
  });

  it('a viewer reads sites but may not add one (403)', async () => {
    const viewer = await signIn(t, 'viewer@example.com');
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/members`,
      headers: owner.headers,
      payload: { email: 'viewer@example.com', role: 'viewer' },
    });
    expect(
      (await t.app.inject({ url: `/api/v1/orgs/${orgId}/sites`, headers: viewer.headers })).statusCode,
    ).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/sites`,
      headers: viewer.headers,
      payload: { url: 'https://five.example.test/' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });
});
