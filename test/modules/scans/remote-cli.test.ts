import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemoteScan } from '../../../src/cli/remote-scan.ts';
import { engines } from '../../helpers/engines.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import { createOrg, createServiceApp, createToken, signIn, type ServiceTestApp } from './helpers.ts';

/** `vioscan scan --remote` against a real listening server on loopback, scanning a loopback site. */
describe.each(engines)('vioscan scan --remote on %s', (engine) => {
  let t: ServiceTestApp;
  let target: RunningSite;
  let server: string;
  let orgId: string;
  let token: string;
  beforeAll(async () => {
    target = await startTestSite({ tls: false, http: true });
    t = await createServiceApp(engine);
    const owner = await signIn(t, 'ci@example.com');
    orgId = await createOrg(t, owner);
    token = await createToken(t, owner, orgId, ['sites:read', 'sites:write', 'scans:read', 'scans:write']);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    server = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await target?.close();
  });

  const io = (env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        env,
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: (s: string) => err.push(s) },
        pollMs: 100,
      },
    };
  };

  it('submits with VIOSCAN_TOKEN alone (the token names its org), waits, prints the report and fails on high findings', async () => {
    const run = io({ VIOSCAN_TOKEN: token });
    const code = await runRemoteScan(
      [target.url],
      { remote: server, format: 'json', failOn: 'high' },
      run.io,
    );
    const report = JSON.parse(run.out.join(''));
    expect(report.target).toBe(target.url.endsWith('/') ? target.url : `${target.url}/`);
    const hasHigh = report.findings.some((f: { severity: string }) =>
      ['critical', 'high'].includes(f.severity),
    );
    expect(code).toBe(hasHigh ? 1 : 0);
    expect(run.err.join('')).toMatch(/queued/);
    const scans = await t.db.kysely.selectFrom('scans').selectAll().where('org_id', '=', orgId).execute();
    expect(scans.map((s) => s.status)).toEqual(['succeeded']);

    // The second run reuses the site and can emit SARIF.
    const again = io();
    const code2 = await runRemoteScan(
      [target.url],
      { remote: server, token, org: orgId, format: 'sarif', quiet: true },
      again.io,
    );
    expect(code2).toBe(0);
    expect(JSON.parse(again.out.join('')).version).toBe('2.1.0');
    expect(again.err).toEqual([]);
    expect(
      (await t.db.kysely.selectFrom('sites').selectAll().where('org_id', '=', orgId).execute()).length,
    ).toBe(1);
  }, 120_000);

  it('a bad token exits 3 with the server’s error code; a missing token is a usage error', async () => {
    const run = io();
    const code = await runRemoteScan(
      [target.url],
      { remote: server, token: 'vio_pat_nope', org: orgId, format: 'json' },
      run.io,
    );
    expect(code).toBe(3);
    expect(run.err.join('')).toMatch(/unauthorized/);
    expect(run.out).toEqual([]);
    await expect(
      runRemoteScan([target.url], { remote: server, org: orgId, format: 'json' }, io().io),
    ).rejects.toThrow(/VIOSCAN_TOKEN/);
  });

  it('--active on an unverified site exits 3 with site_not_verified and queues nothing', async () => {
    const before = await t.db.kysely.selectFrom('scans').select('id').execute();
    const run = io({ VIOSCAN_TOKEN: token });
    const code = await runRemoteScan([target.url], { remote: server, format: 'json', active: true }, run.io);
    expect(code).toBe(3);
    expect(run.err.join('')).toMatch(/site_not_verified: Active checks run only on a verified site/);
    expect(await t.db.kysely.selectFrom('scans').select('id').execute()).toEqual(before);
  });

  it('expired and revoked tokens exit 3 saying so and queue nothing; --org must be the token’s', async () => {
    const before = await t.db.kysely.selectFrom('scans').select('id').execute();
    const owner = await signIn(t, 'ci@example.com');
    const expired = await createToken(t, owner, orgId, ['sites:read', 'scans:read', 'scans:write']);
    await t.db.kysely
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('prefix', '=', expired.slice(0, 14))
      .execute();
    const run = io({ VIOSCAN_TOKEN: expired });
    expect(await runRemoteScan([target.url], { remote: server, format: 'json' }, run.io)).toBe(3);
    expect(run.err.join('')).toMatch(/token_expired: .*create a new API token/);

    const revoked = await createToken(t, owner, orgId, ['sites:read', 'scans:read', 'scans:write']);
    const { id } = await t.db.kysely
      .selectFrom('api_tokens')
      .select('id')
      .where('prefix', '=', revoked.slice(0, 14))
      .executeTakeFirstOrThrow();
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgId}/tokens/${id}`,
      headers: owner.headers,
    });
    expect(del.statusCode).toBe(204);
    const run2 = io({ VIOSCAN_TOKEN: revoked });
    expect(await runRemoteScan([target.url], { remote: server, format: 'json' }, run2.io)).toBe(3);
    expect(run2.err.join('')).toMatch(/token_revoked/);

    const run3 = io({ VIOSCAN_TOKEN: token, VIOSCAN_ORG: '00000000-0000-4000-8000-000000000000' });
    expect(await runRemoteScan([target.url], { remote: server, format: 'json' }, run3.io)).toBe(3);
    expect(run3.err.join('')).toContain(`the API token belongs to organisation ${orgId}`);
    expect(await t.db.kysely.selectFrom('scans').select('id').execute()).toEqual(before);
  });
});
