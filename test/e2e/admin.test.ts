import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/modules/admin/service.ts';
import { enableTotp, setupTotp } from '../../src/modules/mfa/totp.ts';
import { codeOf, mailTo, totpCode } from '../modules/auth/helpers.ts';
import type { TestApp } from '../http/app-helpers.ts';
import { ensureWebBuild } from './build.ts';
import { checkPage, openBrowser, type TestBrowser } from './browser.ts';
import { mailSignIn, startBrowserTestApp, type BrowserTestApp } from './server.ts';

const STAFF = 'staff-e2e@example.com';
const USER = 'customer-e2e@example.com';
const REPORTER = 'reporter-e2e@example.com';
const SUBJECT = 'Scan of my shop looks wrong';
const MESSAGE = 'The HSTS check fails although <b>the header</b> is set.';
const REPLY = 'Thanks: the header is sent only on the redirect; add it to the final response.';
const REPORT_TITLE = 'Stored XSS in the report page';

describe('admin console in a real browser', () => {
  let app: TestApp;
  let smtp: BrowserTestApp['smtp'];
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  let staffId = '';
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    ({ app, smtp, base } = await startBrowserTestApp({}));

    // The first admin, as `vioscan admin create` makes it, with an authenticator app enrolled
    // (staff routes need a second-factor step-up; the enrolment UI has its own test).
    const { db, events, config } = app.app.identity;
    staffId = (await createStaff({ db, events, actorId: null, via: 'cli' }, STAFF, 'admin')).id;
    secret = (await setupTotp(db, config.appSecret, staffId, STAFF)).secret;
    recoveryCodes = await enableTotp(db, config.appSecret, staffId, totpCode(secret));

    ({ browser, page, csp } = await openBrowser());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  /**
   * Email sign-in in the browser with the code from the real mail; an account with a second factor
   * is then asked for it (staff answer with a recovery code, keeping the TOTP steps for later).
   */
  async function browserSignIn(email: string, recoveryCode?: string): Promise<void> {
    await mailSignIn(page, base, smtp.mails, email);
    if (recoveryCode) {
      await page.getByRole('heading', { name: 'Second factor' }).waitFor();
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCode);
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
    }
    await page.waitForURL(`${base}/account`);
  }

  /** A customer elsewhere: signs in through the API (same mail round trip) and writes to support. */
  async function customerWritesToSupport(): Promise<void> {
    const headers = { origin: base, 'sec-fetch-site': 'same-origin' };
    const before = smtp.mails.length;
    const asked = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      remoteAddress: '10.0.0.7',
      headers,
      payload: { email: USER, acceptTerms: true },
    });
    const nonce = asked.cookies.find((c) => c.name === '__Host-vio_signin')?.value;
    const mail = await mailTo(smtp.mails, USER, /sign-in code/, before);
    const done = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in/code',
      remoteAddress: '10.0.0.7',
      headers: { ...headers, cookie: `__Host-vio_signin=${nonce}` },
      payload: { code: codeOf(mail) },
    });
    expect(done.statusCode).toBe(200);
    const cookie = `__Host-vio_session=${done.cookies.find((c) => c.name === '__Host-vio_session')?.value}`;
    const sent = await app.app.inject({
      method: 'POST',
      url: '/api/v1/support/messages',
      remoteAddress: '10.0.0.7',
      headers: { ...headers, cookie, 'x-csrf-token': done.json<{ csrfToken: string }>().csrfToken },
      payload: { subject: SUBJECT, body: MESSAGE },
    });
    expect(sent.statusCode).toBe(201);
  }

  it('staff whose second factor is not recent are asked for it, then see the retention table', async () => {
    await customerWritesToSupport();
    const reported = await app.app.inject({
      method: 'POST',
      url: '/api/v1/disclosure/reports',
      remoteAddress: '10.0.0.8',
      headers: { origin: base },
      payload: {
        title: REPORT_TITLE,
        description: 'A scan of a site whose title holds <script> runs it in the report.',
        email: REPORTER,
      },
    });
    expect(reported.statusCode).toBe(202);
    await mailTo(smtp.mails, REPORTER, /We received your security report/);

    await browserSignIn(STAFF, recoveryCodes[0]);
    // The verification at sign-in is older than STAFF_STEP_UP_HOURS (default 8) now.
    await app.db.kysely
      .updateTable('sessions')
      .set({ mfa_at: new Date(Date.now() - 9 * 3600_000) })
      .where('user_id', '=', staffId)
      .execute();
    await page.goto(`${base}/admin`);
    await page.waitForURL(`${base}/admin/retention`);

    // Staff routes need a recent second factor: the server says so, and the page says what it said.
    const refused = await page.request.get(`${base}/api/v1/admin/privacy/inventory`);
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('mfa_required');
    await page.getByRole('heading', { name: 'Verify it is you' }).waitFor();
    await expect(
      page.getByText('This needs a recent verification with your second factor.').isVisible(),
    ).resolves.toBe(true);
    await checkPage(page, 'admin-step-up');

    // A wrong code: the server's message, nothing unlocked.
    const wrong = String((Number(totpCode(secret, 1)) + 500_000) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Code from your authenticator app').fill(wrong);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByText('The verification code is not right.').waitFor();
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();

    const table = page.getByTestId('retention-table');
    await table.waitFor();
    for (const header of ['Data class', 'Purpose', 'Legal basis', 'Retention', 'Last purge'])
      await expect(table.getByRole('columnheader', { name: header }).isVisible()).resolves.toBe(true);
    const account = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Account/ }) });
    await expect(account.getByRole('cell').nth(1).textContent()).resolves.toBe('contract');
    await expect(table.getByText('Support messages').first().isVisible()).resolves.toBe(true);
    await expect(table.getByText('Not run yet').first().isVisible()).resolves.toBe(true);
    await checkPage(page, 'admin-retention');

    // The account menu offers the console to staff.
    await page.getByRole('button', { name: STAFF }).click();
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin console' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('reads the support message and replies by email', async () => {
    await page.getByRole('link', { name: 'Support inbox' }).click();
    // The sender by their account's current email, not by a user id.
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: SUBJECT }) });
    await expect(row.getByRole('cell', { name: USER, exact: true }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: SUBJECT }).click();
    // Decrypted by the server, shown as text (the markup in it stays text).
    await page.getByText(MESSAGE).waitFor();
    await expect(page.getByTestId('support-message').first().textContent()).resolves.toContain(
      `From ${USER} ·`,
    );
    expect(await page.locator('.admin-message-body b').count()).toBe(0);
    await checkPage(page, 'admin-support');
    const before = smtp.mails.length;
    await page.getByLabel('Reply (sent by email)').fill(REPLY);
    await page.getByRole('button', { name: 'Send reply by email' }).click();
    await page.getByText('Reply sent by email and stored encrypted in the thread.').waitFor();
    const mail = await mailTo(smtp.mails, USER, /\[VIOscan support\] Re: Scan of my shop/, before);
    expect(mail.text).toContain(REPLY);
    // The thread now holds the reply.
    await page.getByRole('button', { name: SUBJECT }).click();
    await page.getByText(REPLY).waitFor();
    expect(await page.getByTestId('support-message').count()).toBe(2);
  });

  it('filters the audit log and verifies the chain', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit-table').waitFor();
    const actions = () => page.getByTestId('audit-entry').locator('td:nth-child(3)').allTextContents();
    expect(await actions()).toEqual(expect.arrayContaining(['support.replied', 'disclosure.reported']));

    await page.getByLabel('Action (prefix)').fill('support.');
    await page.getByLabel('Actor (email)').fill(STAFF);
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    await page.getByLabel('From').fill(day);
    await page.getByLabel('To (inclusive)').fill(day);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(actions).toEqual(['support.replied']);

    // A range before anything happened matches nothing.
    await page.getByLabel('From').fill('2020-01-01');
    await page.getByLabel('To (inclusive)').fill('2020-01-02');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No audit entries match.').waitFor();

    // Bad input: the server's validation message, as it is.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByTestId('audit-table').waitFor();
    await page.getByLabel('Actor (email)').fill('not-an-email');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('querystring.actorEmail').waitFor();

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByTestId('verify-result').textContent()).resolves.toMatch(/^Chain intact\./);
    await checkPage(page, 'admin-audit');
  });

  it('triages the disclosure report and the reporter gets the status update', async () => {
    await page.getByRole('link', { name: 'Disclosure queue' }).click();
    const table = page.getByTestId('disclosure-table');
    await table.waitFor();
    await expect(table.getByTestId('report-status').first().textContent()).resolves.toBe('new');
    await page.getByRole('button', { name: REPORT_TITLE }).click();
    await page.getByText(REPORTER).waitFor();
    await checkPage(page, 'admin-disclosure');

    // Triage without a severity is refused by the server with its message; nothing changes.
    await page.getByLabel('Status', { exact: true }).last().selectOption('triaged');
    await page.getByRole('button', { name: 'Save and notify the reporter' }).click();
    await page.getByText('Set a severity to triage a report.').waitFor();

    const before = smtp.mails.length;
    await page.getByLabel('Severity').selectOption('high');
    await page.getByLabel('Status', { exact: true }).last().selectOption('fixing');
    await page.getByRole('button', { name: 'Save and notify the reporter' }).click();
    await page.getByText('Saved: fixing, severity high. The reporter was emailed a status update.').waitFor();
    await expect(table.getByTestId('report-status').first().textContent()).resolves.toBe('fixing');
    await expect(table.locator('.severity-high').first().textContent()).resolves.toBe('High');
    const mail = await mailTo(smtp.mails, REPORTER, /is now fixing/, before);
    expect(mail.text).toContain('severity high');
    const row = await app.db.kysely
      .selectFrom('vulnerability_reports')
      .select(['status', 'severity', 'due_at', 'triaged_by'])
      .executeTakeFirstOrThrow();
    expect([row.status, row.severity, row.triaged_by, row.due_at !== null]).toEqual([
      'fixing',
      'high',
      staffId,
      true,
    ]);
  });

  it('posts an incident for the status page', async () => {
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByText('No incidents.').waitFor();
    await page.getByLabel('Title').fill('Scans are slow');
    await page.getByLabel('Impact').selectOption('major');
    await page.getByLabel('First update').fill('We are looking into slow scans.');
    await page.getByRole('button', { name: 'Post incident' }).click();
    await page.getByTestId('incident').waitFor();
    await checkPage(page, 'admin-incidents');
    await page.getByLabel('Update', { exact: true }).fill('Fixed: a queue worker was stuck.');
    await page.getByLabel('New status').selectOption('resolved');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.getByText('Fixed: a queue worker was stuck.').waitFor();
    // The dark theme passes axe as well.
    await page.getByRole('button', { name: /Change theme/ }).click();
    await page.getByRole('button', { name: /Change theme/ }).click();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await checkPage(page, 'admin-incidents-dark');
    await page.getByRole('button', { name: /Change theme/ }).click();
    const status = await app.app.inject({ url: '/status.json' });
    expect(status.json().incidents[0]).toMatchObject({ title: 'Scans are slow', status: 'resolved' });
  });

  it('a signed-in user without a staff role is not allowed, in the page and by the API', async () => {
    await page.getByRole('button', { name: STAFF }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await browserSignIn(USER);
    await page.getByRole('button', { name: USER }).click();
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.goto(`${base}/admin`);
    await page.getByTestId('admin-denied').waitFor();
    await expect(page.getByRole('heading', { name: 'Not allowed' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(/has no staff role/).isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('retention-table').count()).toBe(0);
    await checkPage(page, 'admin-denied');
    // The server refuses every staff route to a non-staff session; it answers as if they did not
    // exist (404 not_found, src/http/plugins/session.ts), and changes nothing.
    for (const url of [
      '/api/v1/admin/privacy/inventory',
      '/api/v1/admin/audit',
      '/api/v1/admin/support/messages',
    ]) {
      const response = await page.request.get(`${base}${url}`);
      expect([url, response.status(), (await response.json()).error.code]).toEqual([url, 404, 'not_found']);
    }
    const reports = await app.db.kysely.selectFrom('vulnerability_reports').select('status').execute();
    expect(reports.map((r) => r.status)).toEqual(['fixing']);
  });

  it('reported no CSP violation on any admin page', () => {
    expect(csp).toEqual([]);
  });
});
