import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieList } from '../../src/modules/privacy/cookies.ts';
import { buildPendingExports } from '../../src/modules/privacy/export.ts';
import { recordSelfScan } from '../../src/modules/self-scan/repo.ts';
import { testConfig, type TestApp } from '../http/app-helpers.ts';
import { linkTokenOf, mailTo } from '../modules/auth/helpers.ts';
import { ensureWebBuild } from './build.ts';
import { checkPage, openBrowser, screenshot, type TestBrowser } from './browser.ts';
import { mailSignIn, startBrowserTestApp, type BrowserTestApp } from './server.ts';

const EMAIL = 'privacy-e2e@example.com';

describe('privacy settings, support and the cookie table in a real browser', () => {
  let app: TestApp;
  let smtp: BrowserTestApp['smtp'];
  let browser: TestBrowser;
  let context: BrowserContext;
  let page: Page;
  let csp: string[];
  let base: string;
  let env: Record<string, string>;
  let firstUserId: string;

  beforeAll(async () => {
    await ensureWebBuild();
    ({ app, smtp, base, env } = await startBrowserTestApp({}));
    ({ browser, context, page, csp } = await openBrowser());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  async function signInWithMail(): Promise<string> {
    await mailSignIn(page, base, smtp.mails, EMAIL);
    await page.getByRole('heading', { name: 'Active sessions and devices' }).waitFor();
    const session = await page.request.get(`${base}/api/v1/auth/session`);
    return (await session.json()).user.id as string;
  }

  it('signs in with a mailed code and shows the consents; product email can be given and withdrawn', async () => {
    firstUserId = await signInWithMail();
    await page.getByRole('link', { name: 'manage privacy settings' }).click();
    await page.getByRole('heading', { name: 'Consents' }).waitFor();
    const terms = page.getByTestId('consent-terms');
    await expect(terms.textContent()).resolves.toMatch(/Given.*2025-08/);
    const product = page.getByTestId('consent-product_email');
    await expect(product.textContent()).resolves.toContain('Not given');
    // The welcome step's "No thanks" (mailSignIn) records nothing.
    const fresh = await (await page.request.get(`${base}/api/v1/account/consents`)).json();
    expect(fresh.history.filter((r: { kind: string }) => r.kind === 'product_email')).toEqual([]);

    await page.getByRole('button', { name: /^Give consent: occasional product news/ }).click();
    await page.getByRole('button', { name: /^Withdraw: occasional product news/ }).click();
    await page.getByRole('button', { name: /^Give consent: occasional product news/ }).waitFor();
    await expect(product.textContent()).resolves.toContain('Withdrawn');
    // The record says so on the server too, with its version and time.
    const consents = await (await page.request.get(`${base}/api/v1/account/consents`)).json();
    expect(consents.consents).toContainEqual(
      expect.objectContaining({ kind: 'product_email', granted: false, withdrawnAt: expect.any(String) }),
    );
    // Required consents offer no withdraw button.
    expect(await terms.getByRole('button').count()).toBe(0);
    await checkPage(page, 'privacy');
  });

  it('requests an export, polls until the job has built it and downloads the JSON', async () => {
    await page.getByRole('button', { name: 'Request a data export' }).click();
    await page.getByText('Preparing your export…').waitFor();
    // The data-export job (run here in-process, as the worker would).
    expect(await buildPendingExports(app.db, testConfig(env))).toBe(1);
    const link = page.getByRole('link', { name: 'Download your data (JSON)' });
    await link.waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const archive = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(archive).toMatchObject({ format: 'vioscan-export/1', account: { email: EMAIL, id: firstUserId } });
    expect(archive.consents).toContainEqual(expect.objectContaining({ kind: 'product_email' }));
    await checkPage(page, 'privacy-export');
  });

  it('sends a support message from the page linked in the footer', async () => {
    await page.getByRole('contentinfo').getByRole('link', { name: 'Support' }).click();
    await page.getByRole('heading', { name: 'Contact support' }).waitFor();
    await checkPage(page, 'support');
    await page.getByLabel('Subject').fill('Question about my report');
    await page.getByLabel('Message').fill('Why is HSTS flagged? <b>not markup</b>');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Message sent.').waitFor();
    const mine = await (await page.request.get(`${base}/api/v1/support/messages`)).json();
    expect(mine.messages).toEqual([
      expect.objectContaining({ subject: 'Question about my report', direction: 'in' }),
    ]);
    // Sealed at rest: the database row does not hold the text.
    const rows = await app.db.kysely.selectFrom('support_messages').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('HSTS');
  });

  it('asks to sign in again when the last verification is over 20 minutes old, and deletes nothing', async () => {
    await app.db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date(Date.now() - 30 * 60_000), mfa_at: null })
      .where('user_id', '=', firstUserId)
      .execute();
    await page.goto(`${base}/account/privacy`);
    await page.getByLabel(/to confirm/).fill('delete my account');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Verify it’s you first.').waitFor();
    await checkPage(page, 'privacy-reauth');
    expect(
      await app.db.kysely.selectFrom('users').select('id').where('id', '=', firstUserId).execute(),
    ).toHaveLength(1);
    await page.getByRole('button', { name: 'Sign out and sign in again' }).click();
    await page.getByRole('button', { name: 'Email me a code' }).waitFor();
    expect(await signInWithMail()).toBe(firstUserId);
  });

  it('deletes the account after the typed confirmation, signs out, and a new sign-in starts afresh', async () => {
    await page.goto(`${base}/account/privacy`);
    await page.getByRole('heading', { name: 'Delete your account' }).waitFor();
    await expect(page.getByText(/Organisations you own/).isVisible()).resolves.toBe(true);
    const button = page.getByRole('button', { name: 'Delete my account' });
    await page.getByLabel(/to confirm/).fill('delete my acc');
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill('delete my account');
    await checkPage(page, 'privacy-delete');
    const before = smtp.mails.length;
    await button.click();
    await page.getByTestId('account-deleted').waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    expect((await page.request.get(`${base}/api/v1/auth/session`)).status()).toBe(401);
    expect((await context.cookies(base)).map((c) => c.name)).not.toContain('__Host-vio_session');
    await mailTo(smtp.mails, EMAIL, /account has been deleted/, before);
    expect(
      await app.db.kysely.selectFrom('users').select('id').where('id', '=', firstUserId).execute(),
    ).toEqual([]);
    await screenshot(page, 'privacy-deleted');

    const again = await signInWithMail();
    expect(again).not.toBe(firstUserId);
    await page.goto(`${base}/account/privacy`);
    await expect(page.getByTestId('consent-product_email').textContent()).resolves.toContain('Not given');
    expect(await (await page.request.get(`${base}/api/v1/support/messages`)).json()).toEqual({
      messages: [],
    });
  });

  it('shows the cookie table on /security, one row per cookie the service sets', async () => {
    await page.goto(`${base}/security`);
    await page.getByRole('heading', { name: 'Cookies' }).waitFor();
    const rows = page.getByTestId('cookie-row');
    expect(await rows.count()).toBe(cookieList.length);
    for (const cookie of cookieList)
      await expect(page.getByRole('rowheader', { name: cookie.name }).isVisible()).resolves.toBe(true);
    await checkPage(page, 'security-cookies');
  });

  it('states the latest self-scan of BASE_URL on /security: "Not yet scanned.", then its grade and date', async () => {
    const scanning = page.locator('.fact', { has: page.locator('dt', { hasText: /^Scanning$/ }) });
    await page.goto(`${base}/security`);
    await page.getByRole('heading', { name: 'Vulnerability management' }).waitFor();
    await expect(scanning.textContent()).resolves.toContain('Not yet scanned.');
    const { row } = await recordSelfScan(app.db, {
      target: 'http://127.0.0.1/',
      status: 'succeeded',
      grade: 'B+',
      score: 82,
      counts: { medium: 2, low: 1 },
      serious: [],
      browser: true,
      error_code: null,
      error_message: null,
      started_at: new Date(),
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Vulnerability management' }).waitFor();
    await expect(scanning.textContent()).resolves.toContain(
      `Latest self-scan (${row.finished_at.toISOString()}, passive and browser scan): grade B+ (score 82), 0 critical, 0 high, 2 medium, 1 low findings.`,
    );
    await expect(scanning.locator('.badge').textContent()).resolves.toBe('In place');
  });

  it('a new account signing in by the emailed link lands on the welcome step and answers it', async () => {
    const email = 'link-e2e@example.com';
    await page.goto(`${base}/sign-in`);
    const before = smtp.mails.length;
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await mailTo(smtp.mails, email, /sign-in code/, before);
    // The link opens the confirm page; its button posts the form, the server answers 303 /welcome.
    await page.goto(`${base}/auth/confirm?t=${linkTokenOf(mail)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome to VIOscan' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/welcome');
    const session = await (await page.request.get(`${base}/api/v1/auth/session`)).json();
    expect(session.user.email).toBe(email);
    await checkPage(page, 'welcome-link');

    await page.getByRole('button', { name: 'Yes, email me product news' }).click();
    await page.waitForURL(`${base}/start`);
    const consents = await (await page.request.get(`${base}/api/v1/account/consents`)).json();
    expect(consents.consents).toContainEqual(
      expect.objectContaining({ kind: 'product_email', granted: true }),
    );

    // Signed out, /welcome offers the way to sign in instead of the question.
    await page.getByRole('button', { name: email }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto(`${base}/welcome`);
    await page.getByRole('alert').getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Welcome to VIOscan' }).count()).toBe(0);
    await checkPage(page, 'welcome-signed-out');
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
