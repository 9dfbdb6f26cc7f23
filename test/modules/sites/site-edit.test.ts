import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsReason } from '../../../src/scanner/gather/tls-reason.ts';
import { engines } from '../../helpers/engines.ts';
import { closedPort, startTestSite, type RunningSite } from '../../sites/site.ts';
import { addSite, createServiceApp, createToken, type ServiceTestApp } from '../scans/helpers.ts';
import { twoOrgs } from '../service-fixtures.ts';
import type { SignedIn } from '../auth/helpers.ts';

const OPENSSL = /error:[0-9A-F]{6,}|SSL routines|deps\/openssl/i;

describe('TLS failures in plain words', () => {
  it('maps OpenSSL strings and node:tls codes, and never passes OpenSSL text on', () => {
    const raw =
      'write EPROTO 40A8C2F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:355:';
    expect(tlsReason({ code: 'EPROTO', message: raw })).toBe(
      'the server does not speak TLS on this port (it may be plain HTTP)',
    );
    expect(tlsReason({ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' })).toBe(
      'the certificate has expired',
    );
    const unknown = tlsReason({ message: 'error:0A000999:SSL routines::some new reason' });
    expect(unknown).toBe('the TLS handshake failed (some new reason)');
    expect(tlsReason({ message: '80:error:0A0000FF:garbage' })).toBe('the TLS handshake failed');
    for (const text of [raw, 'error:0A000999:SSL routines::x', '80:error:0A0000FF:garbage'])
      expect(tlsReason({ message: text })).not.toMatch(OPENSSL);
  });
});

describe.each(engines)('site address, edit and delete on %s', (engine) => {
  let t: ServiceTestApp;
  let plain: RunningSite;
  let secure: RunningSite;
  let owner: SignedIn;
  let outsider: SignedIn;
  let orgId: string;
  let otherOrg: string;

  beforeAll(async () => {
    plain = await startTestSite({ tls: false, http: true });
    secure = await startTestSite({ tls: 'self-signed', http: false });
    t = await createServiceApp(engine);
    ({ owner, outsider, orgId, otherOrg } = await twoOrgs(t));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await plain?.close();
    await secure?.close();
  });

  const sitesOf = async (org: string) =>
    t.db.kysely.selectFrom('sites').selectAll().where('org_id', '=', org).orderBy('created_at').execute();
  const post = (payload: object, org = orgId, user = owner) =>
    t.app.inject({ method: 'POST', url: `/api/v1/orgs/${org}/sites`, headers: user.headers, payload });
  const patch = (siteId: string, payload: object, org = orgId, user = owner) =>
    t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${org}/sites/${siteId}`,
      headers: user.headers,
      payload,
    });

  it('takes a bare host:port that only answers plain HTTP as http://, and says why in plain words', async () => {
    const res = await post({ url: `127.0.0.1:${plain.httpPort}` });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.url).toBe(`http://127.0.0.1:${plain.httpPort}/`);
    expect(body.notice).toBe(
      `Added as http://127.0.0.1:${plain.httpPort}/: https://127.0.0.1:${plain.httpPort}/ did not answer ` +
        `(TLS with 127.0.0.1:${plain.httpPort} failed: the server does not speak TLS on this port (it may be plain HTTP)). ` +
        'Serving the site over HTTPS fixes many findings.',
    );
    expect(body.notice).not.toMatch(OPENSSL);
  });

  it('refuses a bare host where neither scheme answers with site_unreachable, each attempt explained', async () => {
    const before = await sitesOf(orgId);
    const res = await post({ url: `127.0.0.1:${secure.httpsPort}/shop` });
    expect(res.statusCode).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('site_unreachable');
    expect(error.message).toMatch(/^Neither https:\/\/ nor http:\/\/ answered at that address/);
    const [https, http] = error.details.attempts;
    expect(https).toMatchObject({
      url: `https://127.0.0.1:${secure.httpsPort}/shop`,
      code: 'tls_failed',
      message: expect.stringMatching(/^The secure connection \(HTTPS\) to the site failed/),
      detail: `TLS with 127.0.0.1:${secure.httpsPort} failed: the certificate is self-signed`,
    });
    expect(http.url).toBe(`http://127.0.0.1:${secure.httpsPort}/shop`);
    expect(JSON.stringify(error)).not.toMatch(OPENSSL);
    const closed = await closedPort();
    const refused = await post({ url: `127.0.0.1:${closed}` });
    expect(refused.json().error.details.attempts[0]).toMatchObject({
      code: 'connect_failed',
      message: 'The site did not accept a connection. Check that the server is up and the port is right.',
      detail: `connection to 127.0.0.1:${closed} refused`,
    });
    expect(await sitesOf(orgId)).toEqual(before);
  });

  let unprobed: string;
  it('a full address is taken as typed, without a probe', async () => {
    const closed = await closedPort();
    const res = await post({ url: `https://127.0.0.1:${closed}/` });
    expect(res.statusCode).toBe(201);
    expect(res.json().notice).toBeUndefined();
    unprobed = res.json().id;
  });

  it('renames a site and moves it; a new host loses its verification and schedule, the same host keeps them', async () => {
    const site = await addSite(t, owner, orgId, 'https://shop.example.test/');
    await t.db.kysely
      .updateTable('sites')
      .set({ verified_at: new Date(), verified_by: 'file', schedule: 'daily' })
      .where('id', '=', site.id)
      .execute();

    const renamed = await patch(site.id, { name: 'The shop' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'The shop', url: 'https://shop.example.test/' });
    expect(renamed.json().notice).toBeUndefined();

    const samehost = await patch(site.id, { url: 'https://shop.example.test/en/' });
    expect(samehost.json()).toMatchObject({ url: 'https://shop.example.test/en/', schedule: 'daily' });
    expect(samehost.json().verification.verified).toBe(true);

    const moved = await patch(site.id, { url: 'https://www.example.test/' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ host: 'www.example.test', schedule: null, name: 'The shop' });
    expect(moved.json().verification).toMatchObject({
      verified: false,
      dns: { name: '_vioscan-verification.www.example.test' },
    });
    expect(moved.json().notice).toBe('The host changed: verify ownership again to monitor it.');
    const row = (await sitesOf(orgId)).find((s) => s.id === site.id)!;
    expect(row).toMatchObject({ verified_at: null, verified_by: null, schedule: null });

    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', site.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['org.site_changed', 'org.site_changed', 'org.site_changed']);
    expect(JSON.parse(audit[2]!.details)).toMatchObject({
      host: 'www.example.test',
      previousHost: 'shop.example.test',
    });
  });

  it('refuses bad edits with the exact error and changes nothing', async () => {
    const [first, second] = await sitesOf(orgId);
    const before = await sitesOf(orgId);
    for (const [payload, status, code] of [
      [{}, 400, 'validation_failed'],
      [{ name: '   ' }, 400, 'validation_failed'],
      [{ name: 'x'.repeat(101) }, 400, 'validation_failed'],
      [{ url: 'javascript:alert(1)' }, 422, 'target_not_allowed'],
      [{ url: second!.url }, 409, 'conflict'],
    ] as const) {
      const res = await patch(first!.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const theirs = await addSite(t, outsider, otherOrg, 'https://theirs.example.test/');
    const foreign = await patch(theirs.id, { name: 'mine now' });
    expect(foreign.statusCode).toBe(404);
    expect(await sitesOf(orgId)).toEqual(before);
    expect((await sitesOf(otherOrg))[0]!.name).toBe('theirs.example.test');
  });

  it('deletes a site with its scans, audited; a viewer may neither edit nor delete', async () => {
    const site = (await sitesOf(orgId)).find((s) => s.id === unprobed)!;
    const token = await createToken(t, owner, orgId, ['sites:read']);
    const readOnly = { authorization: `Bearer ${token}` };
    const denied = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgId}/sites/${site.id}`,
      headers: readOnly,
    });
    expect(denied.statusCode).toBe(403);
    const deniedPatch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${orgId}/sites/${site.id}`,
      headers: readOnly,
      payload: { name: 'x' },
    });
    expect(deniedPatch.statusCode).toBe(403);
    expect((await sitesOf(orgId)).some((s) => s.id === site.id)).toBe(true);

    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgId}/sites/${site.id}`,
      headers: owner.headers,
    });
    expect(res.statusCode).toBe(204);
    expect((await sitesOf(orgId)).some((s) => s.id === site.id)).toBe(false);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', site.id)
      .execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.details).host])).toEqual([
      ['org.site_deleted', '127.0.0.1'],
    ]);
  });
});
