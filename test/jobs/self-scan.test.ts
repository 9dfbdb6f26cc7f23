/**
 * The self-scan job against a real loopback site standing in for the instance (BASE_URL), with
 * ALLOW_PRIVATE_TARGETS off: the scan reaches BASE_URL through the one-origin exception, stores
 * grade and counts, alerts staff (ALERT_EMAIL over a local SMTP server) once when the site
 * regresses and never when nothing changed, and /security states the latest result honestly.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/load.ts';
import { selfScan } from '../../src/jobs/self-scan.ts';
import { runSelfScan } from '../../src/modules/self-scan/run.ts';
import { closeBrowserPool } from '../../src/scanner/browser/index.ts';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';
import { createTestApp, testConfig, type TestApp } from '../http/app-helpers.ts';
import { startSmtp } from '../modules/auth/helpers.ts';
import { closedPort, DEFAULT_HTML, redirectTo, startTestSite, type RunningSite } from '../sites/site.ts';

const silent = pino({ level: 'silent' });

const STRONG_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface Fact {
  label: string;
  value: string;
  status: string;
}

describe.each(engines)('self-scan on %s', (engine) => {
  let db: TestDatabase;
  let site: RunningSite;
  let elsewhere: RunningSite;
  let redirecting: RunningSite;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let page: TestApp;
  let config: ResolvedConfig;
  /** What the instance serves: its headers as shipped, or with the CSP gone (the regression). */
  let mode: 'strong' | 'weak' = 'strong';

  const env = (extra: Record<string, string> = {}) => ({
    BASE_URL: site.httpsUrl!,
    ALLOW_PRIVATE_TARGETS: 'false',
    ALERT_EMAIL: 'ops@example.test',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    SELF_SCAN_CRON: '40 4 * * *',
    ...extra,
  });
  const run = (cfg = config) =>
    runSelfScan({ db, config: cfg, logger: silent, scanOptions: { ca: [site.pki.caPem] } });
  const alerts = () => smtp.mails.filter((m) => m.subject.includes('self-scan'));
  const scanning = async (): Promise<Fact> => {
    const res = await page.app.inject({ url: '/api/v1/security-page' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { sections: { id: string; facts: Fact[] }[] };
    return body.sections.find((s) => s.id === 'vulnerabilities')!.facts.find((f) => f.label === 'Scanning')!;
  };

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    smtp = await startSmtp();
    site = await startTestSite({
      routes: {
        '/': () => {
          const { ['content-security-policy']: _csp, ...weak } = STRONG_HEADERS;
          return { headers: mode === 'strong' ? STRONG_HEADERS : weak, body: DEFAULT_HTML };
        },
      },
    });
    elsewhere = await startTestSite({ tls: false, bind: { address: '127.0.0.2' } });
    redirecting = await startTestSite({
      tls: false,
      routes: { '/': () => redirectTo(`http://127.0.0.2:${elsewhere.httpPort}/`, 302) },
    });
    config = testConfig(env());
    page = await createTestApp(engine, { db, env: env() });
  }, 120_000);

  afterAll(async () => {
    await closeBrowserPool();
    await page?.close();
    await site?.close();
    await elsewhere?.close();
    await redirecting?.close();
    await smtp?.close();
    await db?.close();
  });

  it('schedules the job on SELF_SCAN_CRON, and `off` turns it off', () => {
    expect(selfScan.cron?.(config)).toBe('40 4 * * *');
    expect(selfScan.cron?.(testConfig({ SELF_SCAN_CRON: 'off' }))).toBeUndefined();
    expect(() => testConfig({ SELF_SCAN_CRON: 'daily' })).toThrow(/SELF_SCAN_CRON/);
  });

  it('says "not yet scanned" on /security before the first self-scan', async () => {
    const fact = await scanning();
    expect(fact.status).toBe('warning');
    expect(fact.value).toContain('Not yet scanned.');
    expect(fact.value).toContain('"40 4 * * *"');
  });

  it('scans its own loopback BASE_URL with ALLOW_PRIVATE_TARGETS off; an unchanged second run raises no alert', async () => {
    const first = await run();
    expect(first.row).toMatchObject({ status: 'succeeded', target: config.baseUrl, browser: false });
    expect(first.row.grade).toMatch(/^[A-F]/);
    expect(first.row.serious.map((f) => f.key)).not.toContain('csp:csp-missing');
    expect(first.regressions).toEqual([]);
    expect(site.requests.some((r) => r.path === '/')).toBe(true);
    const second = await run();
    expect(second.row.grade).toBe(first.row.grade);
    expect(second.regressions).toEqual([]);
    expect(second.delivery).toBeUndefined();
    expect(alerts()).toEqual([]);
  });

  it('alerts staff once when the grade drops and a high finding appears, not again while it lasts', async () => {
    const baseline = (
      await db.kysely.selectFrom('self_scans').select('grade').orderBy('id', 'desc').executeTakeFirstOrThrow()
    ).grade;
    mode = 'weak';
    const worse = await run();
    expect(worse.row.status).toBe('succeeded');
    expect(worse.regressions).toEqual(
      expect.arrayContaining([
        { kind: 'grade.dropped', from: baseline, to: worse.row.grade, detail: 'the grade dropped' },
        expect.objectContaining({ kind: 'finding.new', to: 'high' }),
      ]),
    );
    expect(worse.row.serious.map((f) => f.key)).toContain('csp:csp-missing');
    expect(worse.delivery).toEqual({ webhook: 'not configured', email: 'delivered' });
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.to).toBe('ops@example.test');
    // (The test SMTP server reads the body as Latin-1: the arrow between the grades is mangled.)
    expect(alerts()[0]!.text).toContain(`self-scan grade.dropped: ${baseline} `);
    expect(alerts()[0]!.text).toContain(`${worse.row.grade} (the grade dropped)`);
    expect(alerts()[0]!.text).toContain('self-scan finding.new: none');
    // The same state again is no news.
    const again = await run();
    expect(again.regressions).toEqual([]);
    expect(alerts()).toHaveLength(1);
    const stored = await db.kysely.selectFrom('self_scans').select('regressions').orderBy('id').execute();
    expect(stored.map((r) => r.regressions.length > 0)).toEqual([false, false, true, false]);
  });

  it('shows the latest grade and its date on /security', async () => {
    const latest = await db.kysely
      .selectFrom('self_scans')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const fact = await scanning();
    expect(fact.status).toBe('live');
    expect(fact.value).toContain(
      `Latest self-scan (${latest.finished_at.toISOString()}, passive scan): grade ${latest.grade} (score ${latest.score})`,
    );
    expect(fact.value).toMatch(/\d+ critical, \d+ high, \d+ medium, \d+ low findings/);
  });

  it('alerts once when the scan fails, says so on /security, and never follows BASE_URL to another private host', async () => {
    const down = testConfig(env({ BASE_URL: `http://127.0.0.1:${await closedPort()}` }));
    const failed = await run(down);
    expect(failed.row).toMatchObject({ status: 'failed', grade: null });
    expect(failed.regressions).toEqual([
      expect.objectContaining({ kind: 'scan.failed', to: 'failed', detail: failed.row.error_message }),
    ]);
    expect(alerts()).toHaveLength(2);
    const fact = await scanning();
    expect(fact.status).toBe('warning');
    expect(fact.value).toContain(
      `Latest self-scan (${failed.row.finished_at.toISOString()}) failed: ${failed.row.error_message}.`,
    );

    // BASE_URL redirects to another loopback host: the exception does not follow it.
    const moved = await run(testConfig(env({ BASE_URL: redirecting.httpUrl! })));
    expect(moved.row).toMatchObject({ status: 'failed', error_code: 'target_not_allowed' });
    expect(moved.row.error_message).toMatch(/127\.0\.0\.2/);
    expect(elsewhere.requests).toEqual([]);
    // Still failing: no second alert.
    expect(moved.regressions).toEqual([]);
    expect(alerts()).toHaveLength(2);
  });

  it('adds the browser stage when BROWSER_SCANS is on and Chromium is present', async () => {
    mode = 'strong';
    const result = await run(testConfig(env({ BROWSER_SCANS: 'true', CHROMIUM_PATH: '/usr/bin/chromium' })));
    expect(result.row).toMatchObject({ status: 'succeeded', browser: true });
    expect(site.requests.some((r) => r.headers['user-agent']?.includes('Chrome'))).toBe(true);
    // A missing Chromium means a passive scan, said as such.
    const passive = await run(
      testConfig(env({ BROWSER_SCANS: 'true', CHROMIUM_PATH: '/nonexistent/chromium' })),
    );
    expect(passive.row).toMatchObject({ status: 'succeeded', browser: false });
  }, 120_000);
});
