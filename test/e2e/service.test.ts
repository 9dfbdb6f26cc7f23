import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { startDnsStub } from '../modules/sites/dns-stub.ts';
import { startTestSite, type RunningSite } from '../sites/site.ts';
import { checkPage, type TestBrowser } from './browser.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

const EMAIL = 'service-e2e@example.com';

/**
 * The scanning service's screens in a real browser, against the app with real pg-boss scan
 * workers and a loopback fixture site: add, verify by file, scan with live progress, report,
 * sites list, findings board.
 */
describe('scanning service screens in a real browser', () => {
  let t: ServiceTestApp;
  let site: RunningSite;
  // The verification resolver asks this loopback stub, never public DNS.
  let dns: Awaited<ReturnType<typeof startDnsStub>>;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  // The fixture serves the verification file once the test has read the token from the page.
  let verificationBody: string | undefined;
  // A slow site keeps a scan running long enough to cancel it.
  let slow = false;

  beforeAll(async () => {
    site = await startTestSite({
      tls: false,
      http: true,
      routes: {
        '/': () => ({
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<!doctype html><html><head><title>fixture</title></head><body><p>hello</p></body></html>',
          ...(slow ? { delayMs: 5_000 } : {}),
        }),
        '/.well-known/vioscan-verification': () =>
          verificationBody === undefined
            ? { status: 404, body: 'not here' }
            : { headers: { 'content-type': 'text/plain' }, body: verificationBody },
      },
    });
    dns = await startDnsStub();
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createServiceApp('pglite', { BASE_URL: baseUrl, VERIFICATION_DNS_SERVERS: dns.server }),
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await site?.close();
    await dns?.close();
  });

  it('signs in through real mail, creates an organisation and sees the empty sites list', async () => {
    await mailSignIn(page, base, t.mails, EMAIL);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByLabel('Organisation name').fill('Acme');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByText('No sites yet.').waitFor();
    expect(page.url()).toBe(`${base}/sites`);
    await checkPage(page, 'service-sites-empty');
  });

  it('adds the fixture site, explains a failed verification, then verifies it by file', async () => {
    await page.getByLabel('Site address').fill(site.url);
    await page.getByRole('button', { name: 'Add site' }).click();
    await page.getByRole('heading', { name: 'Ownership' }).waitFor();
    expect(page.url()).toMatch(/\/sites\/[^/]+$/);
    await expect(page.getByText('Not verified').first().isVisible()).resolves.toBe(true);
    const fileUrl = `${site.url.replace(/\/$/, '')}/.well-known/vioscan-verification`;
    await expect(page.getByText(fileUrl).isVisible()).resolves.toBe(true);
    await expect(page.getByText(/^_vioscan-verification\.127\.0\.0\.1$/).isVisible()).resolves.toBe(true);
    await checkPage(page, 'service-site-new');

    // Not served yet: a clear reason, and the site stays unverified.
    await page.getByRole('button', { name: 'Verify now by file' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/answered HTTP 404/);

    const token = (await page.locator('.verify-method').nth(1).locator('dd code').nth(1).textContent())!;
    expect(token).toMatch(/^\S{16,}$/);
    const dnsValue = await page.locator('.verify-method').nth(0).locator('dd code').nth(2).textContent();
    expect(dnsValue).toBe(`vioscan-verification=${token}`);

    // Monitoring needs ownership first: the schedule is refused with an explanation.
    await page.getByLabel('Weekly').check();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Verify ownership of this site before scheduling scans.').waitFor();
    const unscheduled = await t.db.kysely.selectFrom('sites').select('schedule').executeTakeFirstOrThrow();
    expect(unscheduled.schedule).toBeNull();

    // DNS: no record yet, then a record with another token; both explained, neither verifies.
    await page.getByRole('button', { name: 'Verify now by DNS' }).click();
    await page.getByText(/No TXT record was found at that name/).waitFor();
    dns.txt.set('_vioscan-verification.127.0.0.1', ['vioscan-verification=not-the-token']);
    await page.getByRole('button', { name: 'Verify now by DNS' }).click();
    await page.getByText(/DNS TXT record was found but does not hold this site's token/).waitFor();
    expect(dns.queries).toContain('_vioscan-verification.127.0.0.1');
    await checkPage(page, 'service-site-verify-failed');

    verificationBody = 'someone-else';
    await page.getByRole('button', { name: 'Verify now by file' }).click();
    await page.getByText(/does not hold this site's token/).waitFor();

    verificationBody = token;
    await page.getByRole('button', { name: 'Verify now by file' }).click();
    await page.getByText('Ownership verified.').waitFor();
    await expect(page.getByText(/Verified by verification file/).isVisible()).resolves.toBe(true);
    const row = await t.db.kysely.selectFrom('sites').select(['verified_by']).executeTakeFirstOrThrow();
    expect(row.verified_by).toBe('file');

    await page.getByLabel('Daily').check();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Schedule saved.').waitFor();
    const scheduled = await t.db.kysely.selectFrom('sites').select('schedule').executeTakeFirstOrThrow();
    expect(scheduled.schedule).toBe('daily');
    // Verified: scans run the active checks by default, and a passive scan is offered beside.
    await expect
      .poll(() => page.getByTestId('site-active-checks').textContent())
      .toMatch(/^Active checks: on\./);
    await expect(page.getByRole('button', { name: 'Passive scan only' }).isVisible()).resolves.toBe(true);
  });

  it('scans now and shows the live state until it succeeds, then the stored report', async () => {
    // The home page answers after 5 s, so the live state is on screen however loaded the machine is.
    slow = true;
    await page.getByRole('button', { name: 'Scan now' }).click();
    const state = page.locator('.scan-state');
    await state.waitFor();
    const seen = new Set<string>();
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const text = (await state.textContent()) ?? '';
      const label = /^(Queued|Running|Succeeded|Failed|Cancelled)/.exec(text)?.[1];
      if (label) seen.add(label);
      if (label && label !== 'Queued' && label !== 'Running') break;
      await page.waitForTimeout(100);
    }
    slow = false;
    // Queued may pass between two reads when a worker is free at once; the scan is seen under way.
    expect(seen.has('Queued') || seen.has('Running')).toBe(true);
    expect([...seen].at(-1)).toBe('Succeeded');
    await expect(state.textContent()).resolves.toMatch(/Succeeded\s*Grade [A-F][+-]? \(\d+\/100\)/);
    await page.getByText(/\d+ new, 0 fixed, 0 regressed findings/).waitFor();
    await checkPage(page, 'service-scan-succeeded');

    await page.getByRole('link', { name: 'Open the report' }).click();
    await page.getByRole('heading', { name: /^Findings by root cause \(\d+\)$/ }).waitFor();
    expect(page.url()).toMatch(/\/scans\/[^/]+$/);
    const grade = await page.locator('.report-summary .grade-letter').textContent();
    expect(grade).toMatch(/^[A-F][+-]?$/);
    const jsonHref = await page.getByRole('link', { name: 'JSON' }).getAttribute('href');
    const download = await page.request.get(`${base}${jsonHref}`);
    expect(download.status()).toBe(200);
    expect((await download.json()).grade).toBe(grade);
    await expect(page.getByTestId('scan-active-checks').textContent()).resolves.toMatch(
      /^Active checks: ran/,
    );
    await checkPage(page, 'service-report');

    // Back on the site page: the history chart has its first point and the scan is listed.
    await page.getByRole('link', { name: 'the site’s page' }).click();
    await page.getByRole('heading', { name: 'Grade history' }).waitFor();
    await expect(page.locator('.history-chart .history-dot').count()).resolves.toBe(1);
    await expect(page.getByTestId('scan-row').first().textContent()).resolves.toContain('Succeeded');
    await checkPage(page, 'service-site');
  });

  it('lists the site with its grade badge and trend sparkline', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    const card = page.getByTestId('site');
    await card.waitFor();
    await expect(card.getByRole('img', { name: /^Latest grade [A-F]/ }).isVisible()).resolves.toBe(true);
    await expect(
      card.getByRole('img', { name: /^Grade trend, oldest first: [A-F]/ }).isVisible(),
    ).resolves.toBe(true);
    await expect(card.getByText('Verified').isVisible()).resolves.toBe(true);
    await checkPage(page, 'service-sites');
  });

  it('works the findings board: counts, filters, acknowledge, accept a risk, CSV', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Findings' }).click();
    await page.getByRole('heading', { name: /^Findings \(\d+\)$/ }).waitFor();
    const total = await t.db.kysely
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(total.n)).toBeGreaterThan(1);
    await expect(page.getByRole('heading', { name: /^Findings \(\d+\)$/ }).textContent()).resolves.toBe(
      `Findings (${Number(total.n)})`,
    );
    await expect(page.getByRole('region', { name: 'Open by severity' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('region', { name: 'By deadline' }).isVisible()).resolves.toBe(true);
    await checkPage(page, 'service-findings');

    // Filter by the severity of some finding: only that severity remains, and the address keeps it.
    const sample = await t.db.kysely
      .selectFrom('findings')
      .select(['severity'])
      .where('severity', '!=', 'info')
      .executeTakeFirstOrThrow();
    await page.getByLabel('Severity', { exact: true }).selectOption(sample.severity);
    await page.waitForURL(new RegExp(`severity=${sample.severity}`));
    const expected = await t.db.kysely
      .selectFrom('findings')
      .select('title')
      .where('severity', '=', sample.severity)
      .execute();
    await expect.poll(() => page.getByTestId('finding').count()).toBe(expected.length);
    await expect(page.getByTestId('finding').locator(`.severity-${sample.severity}`).count()).resolves.toBe(
      expected.length,
    );
    await page.getByLabel('Deadline', { exact: true }).selectOption('overdue');
    await page.getByText('No finding matches these filters.').waitFor();
    await page.getByLabel('Deadline', { exact: true }).selectOption('');
    await expect.poll(() => page.getByTestId('finding').count()).toBe(expected.length);

    const csvHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csvHref).toContain(`severity=${sample.severity}`);
    const csv = await page.request.get(`${base}${csvHref}`);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await csv.text()).trim().split('\n')).toHaveLength(expected.length + 1);

    // Acknowledge the first finding.
    const first = page.getByTestId('finding').first();
    const firstTitle = (await first.locator('h3').textContent())!;
    await first.getByRole('button', { name: 'Acknowledge' }).click();
    await first.getByText('Acknowledged', { exact: true }).waitFor();
    const acked = await t.db.kysely
      .selectFrom('findings')
      .select('status')
      .where('title', '=', firstTitle)
      .executeTakeFirstOrThrow();
    expect(acked.status).toBe('acknowledged');

    // Accept a risk: the reason and expiry are required, then recorded.
    await page.getByLabel('Severity', { exact: true }).selectOption('');
    await page.getByLabel('Status', { exact: true }).selectOption('open');
    await page.waitForURL(/status=open/);
    const target = page.getByTestId('finding').first();
    const targetTitle = (await target.locator('h3').textContent())!;
    await target.getByRole('button', { name: 'Accept risk…' }).click();
    // Focus moves into the form; submitted empty it names the field and the fix instead of a disabled button.
    await expect.poll(() => page.evaluate('document.activeElement.tagName')).toBe('TEXTAREA');
    await target.getByRole('button', { name: 'Accept risk', exact: true }).click();
    await target.getByText('Reason: say in a few words why the risk is accepted.').waitFor();
    await target.getByLabel('Reason for accepting the risk').fill('Fixture site, compensating control');
    await target
      .getByLabel('Accepted until')
      .fill(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
    await checkPage(page, 'service-findings-accept');
    await target.getByRole('button', { name: 'Accept risk', exact: true }).click();
    await target.getByText(/Risk accepted until .*: Fixture site, compensating control/).waitFor();
    const accepted = await t.db.kysely
      .selectFrom('findings')
      .selectAll()
      .where('title', '=', targetTitle)
      .executeTakeFirstOrThrow();
    expect(accepted.status).toBe('accepted');
    expect(accepted.accepted_reason).toBe('Fixture site, compensating control');
    const until = new Date(accepted.accepted_until!).getTime();
    expect(until).toBeGreaterThan(Date.now() + 12 * 86_400_000);
    expect(until).toBeLessThan(Date.now() + 16 * 86_400_000);
    await checkPage(page, 'service-findings-done');
  });

  it('cancels a running scan from the site page, and the findings board reads well in the dark theme', async () => {
    await page.getByRole('button', { name: /Change theme/ }).click();
    await page.getByRole('button', { name: /Change theme/ }).click();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await checkPage(page, 'service-findings-dark');

    slow = true;
    await page.getByTestId('finding').first().getByRole('link').first().click();
    await page.getByRole('button', { name: 'Passive scan only' }).click();
    await page.getByRole('button', { name: 'Cancel scan' }).click();
    await page.locator('.scan-state').getByText('Cancelled').waitFor();
    await expect(page.getByText('The scan was cancelled.').isVisible()).resolves.toBe(true);
    await checkPage(page, 'service-site-cancelled-dark');
    const rows = await t.db.kysely
      .selectFrom('scans')
      .select(['status', 'active'])
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'cancelled']);
    // "Scan now" on the verified site ran the active checks; "Passive scan only" opted out.
    expect(rows.map((r) => Boolean(r.active))).toEqual([true, false]);
    await expect
      .poll(() => page.getByTestId('scan-row').first().locator('td').last().textContent())
      .toBe('no');
    slow = false;
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
