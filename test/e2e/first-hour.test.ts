import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { startTestSite, type RunningSite } from '../sites/site.ts';
import { checkPage, checkPageInBothThemes, type TestBrowser } from './browser.ts';
import { sha256 } from '../../src/modules/auth/crypto.ts';
import { hit } from '../../src/http/rate-limit-store.ts';
import { codeOf, mailTo } from '../modules/auth/helpers.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

const EMAIL = 'newcomer@acme.test';
const focused = (page: Page) =>
  page.evaluate(
    '(() => { const e = document.activeElement; return e ? (e.getAttribute("aria-label") || e.id || e.textContent || "").trim() : ""; })()',
  ) as Promise<string>;

/**
 * The first hour of a new user in a real browser (issue 15, items 5–11): signed-out pages without
 * console errors, the 404 page, the sign-in form explaining itself, the guided start from a new
 * account to a first scan, editing and deleting a site, Copy buttons, focus that moves in and
 * comes back, and an expired public report. One app (real scan workers), one browser.
 */
describe('the first hour in a real browser', () => {
  let t: ServiceTestApp;
  let site: RunningSite;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  let clock = Date.now();
  let verificationBody: string | undefined;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    site = await startTestSite({
      tls: false,
      http: true,
      routes: {
        '/': {
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<!doctype html><html><head><title>fixture</title></head><body><p>hello</p></body></html>',
        },
        '/.well-known/vioscan-verification': () =>
          verificationBody === undefined
            ? { status: 404, body: 'not here' }
            : { headers: { 'content-type': 'text/plain' }, body: verificationBody },
      },
    });
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createServiceApp('pglite', { BASE_URL: baseUrl }, undefined, {
        publicScans: { now: () => new Date(clock) },
      }),
    ));
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await site?.close();
  });

  it('signed-out pages log no console error; an unknown path is the app’s 404 page with links', async () => {
    for (const path of ['/', '/sign-in', '/security', '/status']) {
      await page.goto(`${base}${path}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
    }
    expect(consoleErrors).toEqual([]);

    const response = await page.goto(`${base}/no/such/page`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    const ways = page.getByRole('navigation', { name: 'Ways on' });
    await expect(ways.getByRole('link').allTextContents()).resolves.toEqual([
      'Start page: scan a site',
      'Sign in or create an account',
      'Service status',
      'Contact support',
    ]);
    await checkPageInBothThemes(page, 'first-hour-404');
    await ways.getByRole('link', { name: 'Sign in or create an account' }).click();
    await page.waitForURL(`${base}/sign-in`);
    // The browser's own report of the 404 document is the only console error allowed here.
    expect(consoleErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    consoleErrors.length = 0;
  });

  it('the sign-in form says it creates an account and explains what is missing on submit', async () => {
    await expect(page.locator('.page-title .lead').textContent()).resolves.toMatch(
      /New to VIOscan\? The same form creates your account\./,
    );
    const send = page.getByRole('button', { name: 'Email me a code' });
    expect(await send.isDisabled()).toBe(false);
    await send.click();
    const problems = page.locator('.form-problems li');
    await expect(problems.allTextContents()).resolves.toEqual([
      'Email address: enter the address we should send the code to.',
      'Terms: tick the box to accept the terms and the privacy notice.',
    ]);
    await expect(focused(page)).resolves.toBe('email');
    await expect(page.getByLabel('Email address').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Email address').fill('not-an-address');
    await send.click();
    await page
      .getByText('Email address: this does not look like an email address (name@example.com).')
      .waitFor();
    await checkPageInBothThemes(page, 'first-hour-sign-in-problems');
    expect(t.mails).toHaveLength(0);
  });

  it('a new account lands on the guided start and goes from organisation to a first scan', async () => {
    await mailSignIn(page, base, t.mails, EMAIL, 'no', true);
    await page.waitForURL(`${base}/start`);
    await page.getByRole('heading', { name: 'Get started' }).waitFor();
    await expect(page.getByLabel('Organisation name').inputValue()).resolves.toBe('Acme');
    await checkPageInBothThemes(page, 'first-hour-start');
    await page.getByRole('button', { name: 'Create organisation' }).click();

    // The site field is pre-filled from the email's domain; a bare host:port is taken as typed.
    const address = page.getByLabel('Site address');
    await address.waitFor();
    await expect(address.inputValue()).resolves.toBe('acme.test');
    await address.fill(`127.0.0.1:${site.httpPort}`);
    await page.getByRole('button', { name: 'Add site' }).click();
    const notice = page.getByText(
      /^Added as http:\/\/127\.0\.0\.1:\d+\/: https:\/\/127\.0\.0\.1:\d+\/ did not answer/,
    );
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toMatch(
      /failed: the server does not speak TLS on this port \(it may be plain HTTP\)\)/,
    );
    expect(await page.content()).not.toMatch(/SSL routines|error:0A/);

    // Verification: the values have Copy buttons; the step can be skipped.
    await page.getByRole('heading', { name: 'Ownership' }).waitFor();
    const txt = (await page.locator('.verify-method').first().locator('dd code').nth(2).textContent())!;
    expect(txt).toMatch(/^vioscan-verification=\S{16,}$/);
    await page.getByRole('button', { name: 'Copy TXT value' }).click();
    await page.getByText('Copied.').first().waitFor();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(txt);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(
      txt.replace('vioscan-verification=', ''),
    );
    await checkPage(page, 'first-hour-start-verify');
    await page.getByRole('button', { name: 'Skip for now' }).click();

    await page.getByRole('button', { name: /^Scan 127\.0\.0\.1 now$/ }).click();
    await page.getByRole('link', { name: 'Open the report' }).waitFor({ timeout: 90_000 });
    await page.getByText('All set.').waitFor();
    await checkPageInBothThemes(page, 'first-hour-start-done');
    const scans = await t.db.kysely.selectFrom('scans').select(['source', 'status']).execute();
    expect(scans).toEqual([{ source: 'ui', status: 'succeeded' }]);
  });

  it('edits a site in an inline form that takes and returns focus, and labels who scanned', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByTestId('site').getByRole('link').click();
    await page.getByRole('heading', { name: 'Recent scans' }).waitFor();
    await expect(page.getByTestId('scan-row').first().locator('td').nth(3).textContent()).resolves.toBe(
      `Web app (${EMAIL})`,
    );

    const edit = page.getByRole('button', { name: 'Edit site' });
    await edit.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edit site' }).waitFor();
    await expect(focused(page)).resolves.toBe('site-edit-name');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe('Edit site');
    expect(await page.getByRole('heading', { name: 'Edit site' }).count()).toBe(0);

    await edit.click();
    await page.getByLabel('Name').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Name: enter a name for the site.').waitFor();
    await page.getByLabel('Name').fill('Acme shop');
    await checkPageInBothThemes(page, 'first-hour-site-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Site saved.').waitFor();
    await page.getByRole('heading', { name: 'Acme shop', level: 1 }).waitFor();
    await expect.poll(() => focused(page)).toBe('Edit site');
    const row = await t.db.kysely.selectFrom('sites').select(['name']).executeTakeFirstOrThrow();
    expect(row.name).toBe('Acme shop');
  });

  it('hides the verification instructions once verified', async () => {
    verificationBody = (
      await t.db.kysely.selectFrom('sites').select('verification_token').executeTakeFirstOrThrow()
    ).verification_token;
    await page.getByRole('button', { name: 'Verify now by file' }).click();
    await page.getByText('Ownership verified.').waitFor();
    expect(await page.getByRole('button', { name: /^Verify now/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Copy TXT value' }).count()).toBe(0);
    await expect(page.getByText(/Verified by verification file/).isVisible()).resolves.toBe(true);
  });

  it('keyboard: the account menu and a confirmation take focus, Escape returns it', async () => {
    const account = page.getByRole('button', { name: EMAIL });
    await account.click();
    await expect.poll(() => focused(page)).toBe('Account settings');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe(EMAIL.charAt(0).toUpperCase() + EMAIL);
    expect(await page.getByRole('link', { name: 'Account settings' }).count()).toBe(0);

    const remove = page.getByRole('button', { name: 'Delete site' });
    await remove.click();
    await expect.poll(() => focused(page)).toBe('Keep it');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe('Delete site');
  });

  it('deletes the site after confirmation and goes back to the list', async () => {
    await page.getByRole('button', { name: 'Delete site' }).click();
    await checkPage(page, 'first-hour-site-delete');
    await page.getByRole('button', { name: 'Yes, delete Acme shop with its scans and findings' }).click();
    await page.waitForURL(`${base}/sites`);
    await page.getByText('No sites yet.').waitFor();
    expect(await t.db.kysely.selectFrom('sites').selectAll().execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom('scans').selectAll().execute()).toEqual([]);
  });

  it('an expired public report says so and offers the same scan again', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Website address').fill(site.url);
    await page.getByRole('button', { name: /^Scan/ }).click();
    await page.waitForURL(/\/scan\/[^/]+$/);
    const first = page.url();
    await page
      .getByRole('heading', { name: /^Findings/ })
      .first()
      .waitFor();

    clock += 2 * 3_600_000;
    await page.goto(first);
    await page.getByRole('heading', { name: 'This report has expired' }).waitFor();
    await checkPageInBothThemes(page, 'first-hour-report-expired');
    const again = page.getByRole('button', { name: `Scan ${site.url} again` });
    await again.click();
    await page.waitForURL((url) => /\/scan\/[^/]+$/.test(url.pathname) && url.href !== first);
    await page
      .getByRole('heading', { name: /^Findings/ })
      .first()
      .waitFor();
  });

  it('a throttled sign-in says how long to wait; a throttled resend keeps the code already sent', async () => {
    await browser.context.clearCookies();
    const email = 'throttled@acme.test';
    await page.goto(`${base}/sign-in`);
    const before = t.mails.length;
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await mailTo(t.mails, email, /sign-in code/, before);

    // The address has had its five mails in 15 minutes: asking again is throttled, silently.
    await hit(t.db, `auth|request-email|${sha256(email)}`, 15 * 60_000, 4);
    await page.getByRole('button', { name: 'Use another address' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByLabel('Code', { exact: true }).waitFor();
    expect(t.mails.slice(before).filter((m) => m.to === email)).toHaveLength(1);
    // The code of the first mail still signs in: the throttled request did not replace its cookie.
    await page.getByLabel('Code', { exact: true }).fill(codeOf(mail));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome to VIOscan' }).waitFor();

    // This IP has asked for 20 codes in 15 minutes: the form says for how long it must wait.
    await browser.context.clearCookies();
    const ipKeys = await t.db.kysely
      .selectFrom('rate_limits')
      .select('key')
      .where('key', 'like', 'auth|request-ip|%')
      .execute();
    expect(ipKeys).toHaveLength(1);
    await t.db.kysely
      .updateTable('rate_limits')
      .set({ hits: 20 })
      .where('key', '=', ipKeys[0]!.key)
      .execute();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email address').fill('one-too-many@acme.test');
    await page.getByLabel(/I accept the terms/).check();
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByText(/^Too many requests: try again in 1[45] minutes\.$/).waitFor();
    await checkPageInBothThemes(page, 'first-hour-sign-in-throttled');
    await t.db.kysely.deleteFrom('rate_limits').where('key', '=', ipKeys[0]!.key).execute();
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
