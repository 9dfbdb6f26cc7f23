/**
 * The app for a browser test: PGlite, a real SMTP server on loopback, a fresh DATA_DIR, listening
 * on a free port of 127.0.0.1 (served under `localhost` when a test needs a WebAuthn relying party).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/cli.ts';
import { createTestApp, type TestApp } from '../http/app-helpers.ts';
import type { Page } from 'playwright-core';
import { codeOf, mailTo, startSmtp, type ReceivedMail } from '../modules/auth/helpers.ts';
import { openBrowser, type TestBrowser } from './browser.ts';
import { ensureWebBuild } from './build.ts';

export interface BrowserTestApp {
  app: TestApp;
  smtp: Awaited<ReturnType<typeof startSmtp>>;
  /** Where the browser goes, e.g. http://127.0.0.1:PORT. */
  base: string;
  /** The environment the app was built from. */
  env: Record<string, string>;
}

export async function startBrowserTestApp(opts: {
  /** `localhost` for WebAuthn: an IP address cannot be a relying party ID. */
  hostname?: 'localhost' | '127.0.0.1';
  /** Added to BASE_URL, SMTP_URL and DATA_DIR. */
  env?: Record<string, string>;
}): Promise<BrowserTestApp> {
  const smtp = await startSmtp();
  const port = await freePort();
  const base = `http://${opts.hostname ?? '127.0.0.1'}:${port}`;
  const env = {
    BASE_URL: base,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vioscan-e2e-')),
    ...opts.env,
  };
  const app = await createTestApp('pglite', { env });
  await app.app.listen({ host: '127.0.0.1', port });
  return { app, smtp, base, env };
}

/**
 * Signs `email` in through the page with the code from the real mail, and stops where the server's
 * answer leads (the account page, or the second-factor step). A new account first meets the welcome
 * step's optional product-email question: answered `welcome` ("no" unless told: nothing is given);
 * it then lands on the guided start (/start), and unless `stayOnStart` this opens *Account
 * settings* from the account menu, where an existing account lands, so callers go on from one place.
 */
export async function mailSignIn(
  page: Page,
  base: string,
  mails: ReceivedMail[],
  email: string,
  welcome: 'yes' | 'no' = 'no',
  stayOnStart = false,
): Promise<void> {
  await page.goto(`${base}/sign-in`);
  const before = mails.length;
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel(/I accept the terms/).check();
  await page.getByRole('button', { name: 'Email me a code' }).click();
  const mail = await mailTo(mails, email, /sign-in code/, before);
  await page.getByLabel('Code', { exact: true }).fill(codeOf(mail));
  await page.getByRole('button', { name: 'Sign in' }).click();
  const welcomeHeading = page.getByRole('heading', { name: 'Welcome to VIOscan' });
  const secondFactor = page.getByRole('heading', { name: 'Second factor' });
  const deadline = Date.now() + 20_000;
  // Wait for where the answer leads: away from /sign-in, the second factor, or the welcome step.
  while (new URL(page.url()).pathname === '/sign-in' && !(await secondFactor.isVisible())) {
    if (await welcomeHeading.isVisible()) {
      await page
        .getByRole('button', { name: welcome === 'yes' ? 'Yes, email me product news' : 'No thanks' })
        .click();
      await page.waitForURL(/\/start$/);
      await page.getByRole('heading', { name: 'Get started' }).waitFor();
      if (stayOnStart) return;
      await page.getByRole('button', { name: email }).click();
      await page.getByRole('link', { name: 'Account settings' }).click();
      await page.getByRole('heading', { name: 'Account settings' }).waitFor();
      return;
    }
    if (Date.now() > deadline) throw new Error(`mailSignIn(${email}): still on /sign-in`);
    await page.waitForTimeout(50);
  }
}

/**
 * The web app built, an app from `create` listening on a free port of 127.0.0.1 under the BASE_URL it
 * is given, and a browser watching CSP violations with one page open.
 */
export async function openAppInBrowser<
  T extends { app: { listen(o: { host: string; port: number }): unknown } },
>(
  create: (baseUrl: string) => Promise<T>,
): Promise<{ t: T; base: string; browser: TestBrowser; page: Page; csp: string[] }> {
  await ensureWebBuild();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await create(base);
  await t.app.listen({ host: '127.0.0.1', port });
  return { t, base, ...(await openBrowser()) };
}
