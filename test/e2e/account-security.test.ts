import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../modules/auth/helpers.ts';
import type { TestApp } from '../http/app-helpers.ts';
import { ensureWebBuild } from './build.ts';
import { checkPage, openBrowser, type TestBrowser } from './browser.ts';
import { mailSignIn, startBrowserTestApp, type BrowserTestApp } from './server.ts';

const EMAIL = 'mfa-e2e@example.com';

describe('account security in a real browser: TOTP, recovery codes, API tokens', () => {
  let app: TestApp;
  let smtp: BrowserTestApp['smtp'];
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    // `localhost`, not 127.0.0.1: an IP address cannot be a WebAuthn relying party ID.
    ({ app, smtp, base } = await startBrowserTestApp({ hostname: 'localhost' }));
    ({ browser, page, csp } = await openBrowser());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  /** Email → the code from the real mail; stops where the server's answer leads (account or second factor). */
  async function emailSignIn(): Promise<void> {
    await mailSignIn(page, base, smtp.mails, EMAIL);
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: EMAIL }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  }

  async function currentSession() {
    const response = await page.request.get(`${base}/api/v1/auth/session`);
    expect(response.status()).toBe(200);
    return (await response.json()) as {
      user: { totpEnabled: boolean };
      session: { mfaVerifiedAt: string | null };
    };
  }

  it('enrols an authenticator app from the QR code page and shows the recovery codes once', async () => {
    await emailSignIn();
    await page.getByRole('heading', { name: 'Active sessions and devices' }).waitFor();
    await page.getByRole('link', { name: 'Manage two-factor authentication' }).click();
    await page.getByRole('heading', { name: 'Authenticator app' }).waitFor();
    await page.getByText('No passkeys yet.').waitFor();
    await checkPage(page, 'account-mfa');

    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    // Drawn as inline SVG modules, not an image URL.
    expect(await qr.evaluate((node) => node.tagName.toLowerCase())).toBe('svg');
    expect(await page.locator('svg.qr-code path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await checkPage(page, 'account-mfa-setup');

    // A wrong code is refused and nothing is switched on.
    const wrong = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Then enter the 6-digit code').fill(wrong);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('alert').waitFor();
    expect((await currentSession()).user.totpEnabled).toBe(false);

    await page.getByLabel('Then enter the 6-digit code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    recoveryCodes = await page.locator('.recovery-codes code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download as text' }).click();
    const file = await (await download).path();
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(file, 'utf8');
    for (const code of recoveryCodes) expect(text).toContain(code);
    await checkPage(page, 'account-mfa-recovery-codes');

    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('button', { name: 'Remove authenticator app' }).waitFor();
    expect(await page.getByTestId('recovery-codes').count()).toBe(0);
    const now = await currentSession();
    expect(now.user.totpEnabled).toBe(true);
    // Enrolment is itself a verification with the new factor.
    expect(now.session.mfaVerifiedAt).not.toBeNull();
  });

  it('signs in again with the emailed code and then the authenticator code', async () => {
    await signOut();
    await emailSignIn();
    await page.getByRole('heading', { name: 'Second factor' }).waitFor();
    await checkPage(page, 'sign-in-second-factor');
    // The server holds the email-only session: the API refuses it and every private page asks for the factor.
    const held = await page.request.get(`${base}/api/v1/orgs`);
    expect(held.status()).toBe(401);
    expect((await held.json()).error.code).toBe('second_factor_required');
    await page.goto(`${base}/account/tokens`);
    await page.getByRole('heading', { name: 'Second factor' }).waitFor();
    expect(await page.getByRole('heading', { name: 'API tokens' }).count()).toBe(0);
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Active sessions and devices' }).waitFor();
    expect((await currentSession()).session.mfaVerifiedAt).not.toBeNull();
  });

  it('signs in with a recovery code, which then works no more', async () => {
    await signOut();
    await emailSignIn();
    await page.getByRole('heading', { name: 'Second factor' }).waitFor();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill('not-a-recovery-code');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    expect((await currentSession()).session.mfaVerifiedAt).toBeNull();
    await checkPage(page, 'sign-in-recovery-code');

    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Active sessions and devices' }).waitFor();
    expect((await currentSession()).session.mfaVerifiedAt).not.toBeNull();

    const reused = await page.request.post(`${base}/api/v1/auth/mfa/recovery/verify`, {
      headers: { 'x-csrf-token': await csrf(), origin: base },
      data: { code: recoveryCodes[0] },
    });
    expect(reused.status()).toBe(401);
  });

  it('generates new recovery codes after confirmation; the old ones are refused', async () => {
    await page.goto(`${base}/account/security`);
    await page.getByRole('button', { name: 'Generate new recovery codes' }).click();
    await page.getByRole('group', { name: 'Confirm generating new recovery codes' }).waitFor();
    await checkPage(page, 'account-mfa-regenerate-confirm');
    await page.getByRole('button', { name: 'Yes, generate new codes' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    await page.getByText('the old ones no longer work').waitFor();
    const fresh = await page.locator('.recovery-codes code').allTextContents();
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
    await checkPage(page, 'account-mfa-regenerated');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('button', { name: 'Generate new recovery codes' }).waitFor();
    expect(await page.getByTestId('recovery-codes').count()).toBe(0);

    // An unused code of the old set no longer verifies.
    const old = await page.request.post(`${base}/api/v1/auth/mfa/recovery/verify`, {
      headers: { 'x-csrf-token': await csrf(), origin: base },
      data: { code: recoveryCodes[2] },
    });
    expect(old.status()).toBe(401);
    expect((await old.json()).error.code).toBe('mfa_failed');
    recoveryCodes = fresh;
    await page.goto(`${base}/account`);
    await page.getByRole('heading', { name: 'Active sessions and devices' }).waitFor();
  });

  it('creates an organisation and an API token shown once; the API accepts it until it is revoked', async () => {
    await page.getByRole('link', { name: 'Manage API tokens' }).click();
    await page.getByLabel('Organisation name').fill('Token Test Org');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByText('No API tokens in Token Test Org yet.').waitFor();
    await checkPage(page, 'account-tokens-empty');

    await page.getByLabel('Name', { exact: true }).fill('CI pipeline');
    expect(await page.getByLabel('org:read').isChecked()).toBe(true);
    expect(await page.getByLabel('sites:write').isChecked()).toBe(false);
    await page.getByLabel('scans:write').check();
    await page.getByLabel('Expires after').selectOption('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('new-token').waitFor();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.getByTestId('token-row').waitFor();
    const row = (await page.getByTestId('token-row').textContent()) ?? '';
    expect(row).toContain('CI pipeline');
    expect(row).toContain('scans:write');
    expect(row).not.toContain(token);
    await checkPage(page, 'account-tokens-created');

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    // Shown once: a fresh load lists the token without its secret.
    await page.reload();
    await page.getByTestId('token-row').waitFor();
    expect(await page.content()).not.toContain(token);

    const orgs = (await (await page.request.get(`${base}/api/v1/orgs`)).json()) as {
      orgs: { id: string; name: string }[];
    };
    const org = orgs.orgs.find((o) => o.name === 'Token Test Org');
    expect(org).toBeDefined();
    const withToken = () =>
      fetch(`${base}/api/v1/orgs/${org!.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await withToken()).status).toBe(200);

    await page.getByRole('button', { name: 'Revoke CI pipeline' }).click();
    await checkPage(page, 'account-tokens-revoke');
    // The same screen in the dark theme (system → light → dark, then back to system).
    await page.getByRole('button', { name: /Change theme/ }).click();
    await page.getByRole('button', { name: /Change theme/ }).click();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await checkPage(page, 'account-tokens-revoke-dark');
    await page.getByRole('button', { name: /Change theme/ }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('No API tokens in Token Test Org yet.').waitFor();
    expect((await withToken()).status).toBe(401);
  });

  it('adds a passkey (a virtual authenticator), signs in with it, and removes it', async () => {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(`${base}/account/security`);
    await page.getByText('No passkeys yet.').waitFor();
    await page.getByLabel('Name for a new passkey').fill('Virtual key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByTestId('passkey').waitFor();
    expect(await page.getByTestId('passkey').textContent()).toContain('Virtual key');
    expect(await page.getByTestId('passkey').textContent()).toContain('never used');
    await checkPage(page, 'account-mfa-passkey');

    await page.getByRole('button', { name: 'Rename passkey Virtual key' }).click();
    await page.getByLabel('New name for Virtual key').fill('  Work laptop  ');
    await checkPage(page, 'account-mfa-passkey-rename');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Rename passkey Work laptop' }).waitFor();
    expect(await page.getByTestId('passkey').textContent()).toContain('Work laptop');
    const listed = (await (await page.request.get(`${base}/api/v1/auth/mfa/passkeys`)).json()) as {
      passkeys: { name: string }[];
    };
    expect(listed.passkeys.map((p) => p.name)).toEqual(['Work laptop']);

    await signOut();
    await emailSignIn();
    await page.getByRole('heading', { name: 'Second factor' }).waitFor();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { name: 'Active sessions and devices' }).waitFor();
    expect((await currentSession()).session.mfaVerifiedAt).not.toBeNull();

    await page.getByRole('link', { name: 'Manage two-factor authentication' }).click();
    await page.getByTestId('passkey').waitFor();
    expect(await page.getByTestId('passkey').textContent()).toContain('last used');
    await page.getByRole('button', { name: 'Remove passkey Work laptop' }).click();
    await page.getByRole('button', { name: /^Yes, remove/ }).click();
    await page.getByText('No passkeys yet.').waitFor();
    await cdp.detach();
  });

  it('removes the authenticator app after confirmation and a fresh verification', async () => {
    // The last sign-in and verification are over 20 minutes old: the server wants proof first.
    await app.db.kysely
      .updateTable('sessions')
      .set({ auth_at: new Date(Date.now() - 3_600_000), mfa_at: null })
      .execute();
    await page.goto(`${base}/account/security`);
    await page.getByRole('button', { name: 'Remove authenticator app' }).click();
    await page.getByRole('button', { name: 'Yes, remove it' }).click();
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    expect((await currentSession()).user.totpEnabled).toBe(true);
    await checkPage(page, 'account-mfa-reauth');
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[1]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    // Verified, the held removal runs again and succeeds.
    await page.getByRole('button', { name: 'Set up authenticator app' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Confirm it is you' }).count()).toBe(0);
    expect((await currentSession()).user.totpEnabled).toBe(false);
    await checkPage(page, 'account-mfa-removed');
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });

  async function csrf(): Promise<string> {
    const response = await page.request.get(`${base}/api/v1/auth/session`);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }
});
