import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, mailTo, type ReceivedMail } from '../modules/auth/helpers.ts';
import type { TestApp } from '../http/app-helpers.ts';
import { closedPort, startTestSite, type RunningSite } from '../sites/site.ts';
import { ensureWebBuild } from './build.ts';
import { checkPage, openBrowser, screenshot, seriousAxeViolations, type TestBrowser } from './browser.ts';
import { startBrowserTestApp, type BrowserTestApp } from './server.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const EMAIL = 'e2e@example.com';

describe('web app in a real browser', () => {
  let app: TestApp;
  let site: RunningSite;
  let smtp: BrowserTestApp['smtp'];
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;

  beforeAll(async () => {
    await ensureWebBuild();
    site = await startTestSite({
      tls: false,
      http: true,
      routes: {
        '/': {
          headers: { 'content-type': 'text/html', server: `Apache/2.4 ${HOSTILE}` },
          body: '<p>fixture</p>',
        },
      },
    });
    ({ app, smtp, base } = await startBrowserTestApp({ env: { ALLOW_PRIVATE_TARGETS: 'true' } }));
    ({ browser, page, csp } = await openBrowser());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await site?.close();
    await smtp?.close();
  });

  async function visit(pathname: string, ready: string): Promise<void> {
    await page.goto(`${base}${pathname}`);
    await page.getByText(ready).first().waitFor();
  }

  it('scans a fixture site from the landing page and shows the report', async () => {
    await visit('/', 'What a scan checks');
    await checkPage(page, 'landing');

    await page.getByLabel('Website address').fill(site.url);
    await page.getByRole('button', { name: 'Scan' }).click();
    await page
      .getByRole('heading', { name: /^Findings by root cause \(\d+\)$/ })
      .waitFor({ timeout: 90_000 });
    expect(page.url()).toMatch(/\/scan\/[A-Za-z0-9_-]{22}$/);
    await expect(page.locator('.report-summary .grade-letter').textContent()).resolves.toMatch(
      /^[A-F][+-]?$/,
    );
    // The page is titled with the host; what to fix first comes before the findings.
    const host = new URL(site.url).host;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(host);
    await expect(page.title()).resolves.toBe(`${host} · VIOscan report`);
    const fixFirst = page.getByRole('heading', { name: 'Fix these first' });
    await expect(fixFirst.isVisible()).resolves.toBe(true);
    // A plain-HTTP site: serving HTTPS is the first thing to fix, its code shown as code, never in backticks.
    await expect(page.locator('.fix-first li').first().textContent()).resolves.toContain(
      'Serve the whole site over HTTPS',
    );
    expect(await page.locator('.fix-first code').count()).toBeGreaterThan(0);
    await expect(page.locator('.fix-first').textContent()).resolves.not.toContain('`');
    // The headers strip: this site sends none of them.
    await expect(page.locator('.header-strip .missing').count()).resolves.toBe(9);
    // Every finding is one closed line (severity, title, deadline) until opened.
    const rows = page.locator('details.finding-row');
    expect(await rows.count()).toBeGreaterThan(3);
    expect(await page.locator('details.finding-row[open]').count()).toBe(0);
    await expect(page.getByText(HOSTILE).first().isVisible()).resolves.toBe(false);
    const banner = rows.filter({ hasText: 'server header discloses' }).first();
    await expect(banner.locator('summary').textContent()).resolves.toMatch(/^Low .+ fix within 90 days$/);
    await banner.locator('summary').click();
    // Hostile evidence from the site is shown as text, never as markup.
    await expect(page.getByText(HOSTILE).first().isVisible()).resolves.toBe(true);
    // Filters: only the chosen severity stays.
    await page.getByLabel('Severity').selectOption('low');
    const badges = await page.locator('details.finding-row .badge').allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set(['Low']));
    await page.getByLabel('Severity').selectOption('');
    // The raw response headers, on demand.
    await page.getByText('Raw response headers').click();
    await expect(page.locator('.raw-headers pre').textContent()).resolves.toContain('server: Apache/2.4');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The committed documentation screenshot is only rewritten on request, so test runs leave the tree clean.
    await page.evaluate('window.scrollTo(0, 0)');
    const docsShot = path.resolve('docs/screenshots/report.png');
    await screenshot(page, 'report', process.env.VIOSCAN_UPDATE_SCREENSHOTS ? docsShot : undefined);

    const jsonHref = await page.getByRole('link', { name: 'JSON' }).getAttribute('href');
    const download = await page.request.get(`${base}${jsonHref}`);
    expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
    expect((await download.json()).grade).toBe(
      await page.locator('.report-summary .grade-letter').textContent(),
    );

    // The link works on its own (a fresh load of the client route).
    await page.reload();
    await page.getByRole('heading', { name: /^Findings/ }).waitFor();

    await page.getByRole('button', { name: /Change theme/ }).click();
    await page.getByRole('button', { name: /Theme: light/ }).waitFor();
    await page.getByRole('button', { name: /Change theme/ }).click();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await checkPage(page, 'report-dark');
    await page.getByRole('button', { name: /Change theme/ }).click();

    // Rescan starts the same scan again and shows its report at its own address.
    const before = page.url();
    await page.getByRole('button', { name: 'Rescan' }).click();
    await page.waitForURL((url) => url.href !== before && /\/scan\//.test(url.pathname), { timeout: 90_000 });
    await page.getByRole('heading', { name: /^Findings by root cause/ }).waitFor({ timeout: 90_000 });
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(host);
  });

  it('shows an unreachable site as not graded, with the reason, never F 0', async () => {
    const port = await closedPort();
    await visit('/', 'What a scan checks');
    await page.getByLabel('Website address').fill(`http://127.0.0.1:${port}/`);
    await page.getByRole('button', { name: 'Scan' }).click();
    await page
      .getByRole('heading', { name: 'Not graded: the site could not be scanned' })
      .waitFor({ timeout: 90_000 });
    await expect(page.getByText('Check that the address is right').isVisible()).resolves.toBe(true);
    await expect(page.locator('.report-summary .grade-letter').textContent()).resolves.toBe('–');
    await expect(page.locator('.report-summary').textContent()).resolves.toContain('not graded');
    await expect(page.getByText(`connection to 127.0.0.1:${port} refused`).first().isVisible()).resolves.toBe(
      true,
    );
    expect(await page.getByRole('heading', { name: /^Findings/ }).count()).toBe(0);
    expect(await page.getByText('No findings').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Retry runs the scan again (still unreachable: not graded again, at a new address).
    const before = page.url();
    await page.getByRole('button', { name: 'Retry the scan' }).click();
    await page.waitForURL((url) => url.href !== before, { timeout: 90_000 });
    await page
      .getByRole('heading', { name: 'Not graded: the site could not be scanned' })
      .waitFor({ timeout: 90_000 });
  });

  it('shows the live Security & Privacy page', async () => {
    await visit('/security', 'Remediation targets');
    await expect(
      page.getByText('Critical ≤ 1 day, High ≤ 3 days, Medium ≤ 30 days, Low ≤ 90 days.').isVisible(),
    ).resolves.toBe(true);
    await expect(
      page.getByText('None: this instance sends your data to no third party.').isVisible(),
    ).resolves.toBe(true);
    await checkPage(page, 'security');
  });

  it('shows the status page from /readyz', async () => {
    await visit('/status', 'All systems operational');
    await expect(page.getByText('Database').isVisible()).resolves.toBe(true);
    await checkPage(page, 'status');
  });

  it('signs in with the code from a real email, then revokes another session', async () => {
    await visit('/sign-in', 'Email me a code');
    await checkPage(page, 'sign-in');
    const before = smtp.mails.length;
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail: ReceivedMail = await mailTo(smtp.mails, EMAIL, /sign-in code/, before);
    await page.getByLabel('Code').fill(codeOf(mail));
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A new account: the welcome step asks for the optional product-email consent, nothing chosen.
    await page.getByRole('heading', { name: 'Welcome to VIOscan' }).waitFor();
    await expect(page.getByRole('checkbox', { checked: true }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Privacy settings' }).isVisible()).resolves.toBe(true);
    const notYet = await (await page.request.get(`${base}/api/v1/account/consents`)).json();
    expect(notYet.consents).toContainEqual(
      expect.objectContaining({ kind: 'product_email', granted: false }),
    );
    await checkPage(page, 'sign-in-welcome');
    await page.getByRole('button', { name: 'Yes, email me product news' }).click();
    // A new account goes on to the guided start; the account page is one click away.
    await page.getByRole('heading', { name: 'Get started' }).waitFor();
    await page.goto(`${base}/account`);
    await page.getByRole('heading', { name: 'Active sessions and devices' }).waitFor();
    await expect(page.getByText(EMAIL).first().isVisible()).resolves.toBe(true);
    const consents = await (await page.request.get(`${base}/api/v1/account/consents`)).json();
    expect(consents.consents).toContainEqual(
      expect.objectContaining({ kind: 'product_email', granted: true, grantedAt: expect.any(String) }),
    );

    const other = await signInElsewhere();
    await page.reload();
    await page.getByTestId('session').nth(1).waitFor();
    expect(await page.getByTestId('session').count()).toBe(2);
    await checkPage(page, 'account');
    await page.getByRole('button', { name: /^Sign out .*signed in/ }).click();
    await page.getByText('No other active sessions.').waitFor();
    expect(await page.getByTestId('session').count()).toBe(1);
    const revoked = await app.app.inject({ url: '/api/v1/auth/session', headers: { cookie: other } });
    expect(revoked.statusCode).toBe(401);
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });

  it('would have seen one: an injected inline script is blocked and reported', async () => {
    await visit('/status', 'All systems operational');
    await page.evaluate(`{
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "ran"';
      document.body.append(script);
    }`);
    await expect.poll(() => csp.length).toBeGreaterThan(0);
    expect(await page.locator('body').getAttribute('data-injected')).toBeNull();
  });

  /** A second device signs in through the API: the same mail round trip, another user agent. */
  async function signInElsewhere(): Promise<string> {
    const headers = {
      origin: base,
      'sec-fetch-site': 'same-origin',
      'user-agent': 'Mozilla/5.0 (X11; Linux) Firefox/140.0',
    };
    const before = smtp.mails.length;
    const asked = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers,
      payload: { email: EMAIL, acceptTerms: true },
    });
    const nonce = asked.cookies.find((c) => c.name === '__Host-vio_signin')?.value;
    const mail = await mailTo(smtp.mails, EMAIL, /sign-in code/, before);
    const done = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in/code',
      headers: { ...headers, cookie: `__Host-vio_signin=${nonce}` },
      payload: { code: codeOf(mail) },
    });
    expect(done.statusCode).toBe(200);
    return `__Host-vio_session=${done.cookies.find((c) => c.name === '__Host-vio_session')?.value}`;
  }
});
