import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDependencies, dependencyAudit } from '../../../src/jobs/dependency-audit.ts';
import { checkAdvisories, lockedPackages } from '../../../src/modules/advisories/check.ts';
import { advisoryStatus } from '../../../src/modules/advisories/repo.ts';
import type { AdvisoryAlert, AdvisorySourceAlert } from '../../../src/ops/alerts.ts';
import {
  closedPort,
  FIXTURE_LOCKFILE,
  osvRecord,
  startFakeOsv,
  type FakeOsv,
} from '../../helpers/fake-osv.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createTestApp, testConfig } from '../../http/app-helpers.ts';
import { readFileSync } from 'node:fs';

const silent = pino({ level: 'silent' });
const DAY = 86_400_000;
const lockPackages = () => lockedPackages(JSON.parse(readFileSync(FIXTURE_LOCKFILE, 'utf8')));

async function startReceiver() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    alerts: () => bodies.map((b) => JSON.parse(b) as AdvisoryAlert | AdvisorySourceAlert),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('checkAdvisories against a loopback OSV', () => {
  let osv: FakeOsv;
  beforeAll(async () => {
    osv = await startFakeOsv([osvRecord('GHSA-xvch-5gv4-984h'), osvRecord('GHSA-35jh-r3h4-6jhm')]);
  });
  afterAll(async () => osv.close());

  it('asks querybatch for every registry package, then each advisory, and rates them', async () => {
    const packages = lockPackages();
    // Nested installs count; dev packages and the linked stand-in (not on the registry) do not.
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'lodash@4.17.20',
      'minimist@1.2.5',
      'ms@2.1.3',
    ]);
    const result = await checkAdvisories(osv.url, packages);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result).toMatchObject({ source: osv.url, packages: 3 });
    expect(result.advisories.map((a) => [a.advisoryId, a.package, a.version, a.severity])).toEqual([
      ['GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.20', 'high'],
      ['GHSA-xvch-5gv4-984h', 'minimist', '1.2.5', 'critical'],
    ]);
    expect(result.advisories[1]).toMatchObject({
      summary: 'Prototype Pollution in minimist',
      aliases: ['CVE-2021-44906'],
      fixedIn: ['1.2.6', '0.2.4'],
      score: 9.8,
    });
    const batch = osv.requests.find((r) => r.path === '/v1/querybatch')!;
    expect(batch.method).toBe('POST');
    expect(batch.body).toEqual({
      queries: packages.map((p) => ({ package: { name: p.name, ecosystem: 'npm' }, version: p.version })),
    });
    expect(
      osv.requests
        .filter((r) => r.method === 'GET')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/v1/vulns/GHSA-35jh-r3h4-6jhm', '/v1/vulns/GHSA-xvch-5gv4-984h']);
  });

  it('follows next_page_token until every advisory of a package is in', async () => {
    // OSV also serves the CVE record of the same flaw: two ids for lodash, one per page.
    osv.records.set('CVE-2021-23337', { ...osvRecord('GHSA-35jh-r3h4-6jhm'), id: 'CVE-2021-23337' });
    osv.pageSize = 1;
    try {
      const result = await checkAdvisories(osv.url, [{ name: 'lodash', version: '4.17.20' }]);
      expect(result.ok && result.advisories.map((a) => a.advisoryId).sort()).toEqual([
        'CVE-2021-23337',
        'GHSA-35jh-r3h4-6jhm',
      ]);
      const pages = osv.requests.filter((r) => r.path === '/v1/querybatch').slice(-2);
      expect((pages[1]!.body as { queries: { page_token?: string }[] }).queries[0]!.page_token).toBe('1');
    } finally {
      osv.pageSize = undefined;
      osv.records.delete('CVE-2021-23337');
    }
  });

  it('says the source failed, never "no advisories", when OSV is unreachable or answers an error', async () => {
    const unreachable = await checkAdvisories(await closedPort(), lockPackages());
    expect(unreachable).toMatchObject({ ok: false, packages: 3 });
    expect(!unreachable.ok && unreachable.error).toMatch(/ECONNREFUSED/);
    osv.failWith = 503;
    try {
      const failing = await checkAdvisories(osv.url, lockPackages());
      expect(failing).toMatchObject({ ok: false, error: `${osv.url}/v1/querybatch answered 503` });
    } finally {
      osv.failWith = undefined;
    }
  });
});

describe.each(engines)('dependency audit job on %s', (engine) => {
  let db: TestDatabase;
  let osv: FakeOsv;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const configWith = (osvUrl: string) =>
    testConfig({ OSV_URL: osvUrl, ALERT_WEBHOOK_URL: receiver.url, ALLOW_PRIVATE_TARGETS: 'true' });

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    osv = await startFakeOsv([osvRecord('GHSA-xvch-5gv4-984h'), osvRecord('GHSA-35jh-r3h4-6jhm')]);
    receiver = await startReceiver();
  }, 120_000);
  afterAll(async () => {
    await osv?.close();
    await receiver?.close();
    await db?.close();
  });

  const audit = (osvUrl: string, packages = lockPackages()) =>
    auditDependencies({ db, config: configWith(osvUrl), logger: silent }, packages);
  const open = () =>
    db.kysely
      .selectFrom('dependency_advisories')
      .selectAll()
      .where('resolved_at', 'is', null)
      .orderBy('advisory_id')
      .execute();

  it('records new advisories with their remediation deadlines and alerts staff once', async () => {
    const before = Date.now();
    expect(await audit(osv.url)).toEqual({ ok: true, packages: 3, opened: 2, resolved: 0 });
    const rows = await open();
    expect(rows.map((r) => [r.advisory_id, r.package, r.severity])).toEqual([
      ['GHSA-35jh-r3h4-6jhm', 'lodash', 'high'],
      ['GHSA-xvch-5gv4-984h', 'minimist', 'critical'],
    ]);
    // Critical: 1 day from first seen; high: 3 days (the findings' remediation targets).
    const days = (r: (typeof rows)[number]) =>
      (new Date(r.due_at).getTime() - new Date(r.first_seen_at).getTime()) / DAY;
    expect(rows.map(days)).toEqual([3, 1]);
    expect(new Date(rows[1]!.first_seen_at).getTime()).toBeGreaterThanOrEqual(before - 5_000);

    const alerts = await waitFor(async () =>
      receiver.alerts().length === 1 ? receiver.alerts() : undefined,
    );
    const alert = alerts[0] as AdvisoryAlert;
    expect(alert.type).toBe('dependency.advisories');
    // Worst first, with the deadline and where to read more.
    expect(alert.advisories.map((a) => [a.severity, a.id, a.package, a.version])).toEqual([
      ['critical', 'GHSA-xvch-5gv4-984h', 'minimist', '1.2.5'],
      ['high', 'GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.20'],
    ]);
    expect(alert.advisories[0]).toMatchObject({
      dueAt: new Date(rows[1]!.due_at).toISOString(),
      fixedIn: ['1.2.6', '0.2.4'],
      url: 'https://osv.dev/vulnerability/GHSA-xvch-5gv4-984h',
    });

    // The same advisories again: nothing new, no alert, deadlines unchanged.
    expect(await audit(osv.url)).toMatchObject({ ok: true, opened: 0, resolved: 0 });
    expect((await open()).map((r) => new Date(r.due_at).getTime())).toEqual(
      rows.map((r) => new Date(r.due_at).getTime()),
    );
    expect(receiver.alerts()).toHaveLength(1);
  });

  it('resolves an advisory once the package is updated past the fix', async () => {
    const updated = lockPackages().map((p) => (p.name === 'minimist' ? { ...p, version: '1.2.8' } : p));
    expect(await audit(osv.url, updated)).toMatchObject({ ok: true, opened: 0, resolved: 1 });
    expect((await open()).map((r) => r.advisory_id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    const status = await advisoryStatus(db);
    expect(status.open).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
    expect(status.overdue).toBe(0);
    expect(status.lastCheck).toMatchObject({ ok: true, source: osv.url, packages: 3 });
  });

  it('keeps the open advisories when OSV is unreachable, records the failed check and alerts once', async () => {
    const advisoriesBefore = await db.kysely.selectFrom('dependency_advisories').selectAll().execute();
    const down = await closedPort();
    expect(await audit(down)).toEqual({ ok: false, packages: 3, opened: 0, resolved: 0 });
    expect(await audit(down)).toMatchObject({ ok: false });
    expect(await db.kysely.selectFrom('dependency_advisories').selectAll().execute()).toEqual(
      advisoriesBefore,
    );
    const checks = await db.kysely.selectFrom('dependency_checks').selectAll().orderBy('id').execute();
    expect(checks.map((c) => c.ok)).toEqual([true, true, true, false, false]);
    expect(checks.at(-1)!.error).toMatch(/ECONNREFUSED/);
    const sourceAlerts = await waitFor(async () => {
      const found = receiver.alerts().filter((a) => a.type === 'dependency.source_unreachable');
      return found.length ? found : undefined;
    });
    expect(sourceAlerts).toHaveLength(1);
    expect(sourceAlerts[0]).toMatchObject({ source: down });

    const status = await advisoryStatus(db);
    expect(status.lastCheck?.ok).toBe(false);
    expect(status.lastSuccessAt).not.toBeNull();
    expect(status.open.high).toBe(1);
  });

  it('shows the last check, its failure and the open counts on /security', async () => {
    const t = await createTestApp(engine, { db });
    try {
      const page = (await t.app.inject({ url: '/api/v1/security-page' })).json() as {
        sections: { id: string; facts: { label: string; value: string; status: string }[] }[];
      };
      const patching = page.sections
        .find((s) => s.id === 'vulnerabilities')!
        .facts.find((f) => f.label === 'Patching')!;
      expect(patching.status).toBe('warning');
      expect(patching.value).toContain('could not reach the advisory source');
      expect(patching.value).toContain('dependencies were not checked');
      expect(patching.value).toContain('Open advisories: 0 critical, 1 high, 0 medium, 0 low.');
      const last = await advisoryStatus(db);
      expect(patching.value).toContain(last.lastCheck!.at.toISOString());
      expect(patching.value).toContain(`The last successful check was ${last.lastSuccessAt!.toISOString()}`);

      // Reachable again: live, with the date of that check.
      await audit(
        osv.url,
        lockPackages().filter((p) => p.name !== 'minimist'),
      );
      const again = (await t.app.inject({ url: '/api/v1/security-page' })).json() as typeof page;
      const fact = again.sections
        .find((s) => s.id === 'vulnerabilities')!
        .facts.find((f) => f.label === 'Patching')!;
      expect(fact.status).toBe('live');
      expect(fact.value).toMatch(
        /the last check \(\S+Z\) succeeded for 2 packages\. Open advisories: 0 critical, 1 high/,
      );
    } finally {
      await t.app.close();
    }
  });

  it("runs as a job over this installation's own lock file", async () => {
    const result = (await dependencyAudit.handle(
      { db, config: configWith(osv.url), logger: silent },
      {},
    )) as {
      ok: boolean;
      packages: number;
    };
    expect(result.ok).toBe(true);
    // The real lock file's production dependencies, none of them a fixture's vulnerable version.
    expect(result.packages).toBeGreaterThan(150);
    const batch = osv.requests.filter((r) => r.path === '/v1/querybatch').at(-1)!;
    const names = (batch.body as { queries: { package: { name: string } }[] }).queries.map(
      (q) => q.package.name,
    );
    expect(names).toEqual(expect.arrayContaining(['fastify', 'kysely', 'pg-boss', 'undici']));
    expect(names).not.toContain('libpq');
    expect(names).not.toContain('vitest');
  });
});
