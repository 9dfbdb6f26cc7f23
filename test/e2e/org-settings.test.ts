import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../src/modules/alerts/deliver.ts';
import { verifySignature } from '../../src/modules/alerts/webhook.ts';
import { testConfig } from '../http/app-helpers.ts';
import { createIdentityApp, type IdentityTestApp } from '../modules/auth/helpers.ts';
import { checkPageInBothThemes, type TestBrowser } from './browser.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

const OWNER = 'org-owner@example.com';
const COLLEAGUE = 'colleague@example.com';
const VIEWER = 'org-viewer@example.com';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * The organisation settings screens (/org, /org/members, /org/alerts) in a real browser, against
 * the app listening on loopback with real SMTP sign-in and a loopback webhook receiver.
 */
describe('organisation settings screens in a real browser', () => {
  let t: IdentityTestApp;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  let orgId: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/vioscan`;
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createIdentityApp('pglite', {
        BASE_URL: baseUrl,
        ALLOW_PRIVATE_TARGETS: 'true',
        RATE_LIMIT_MAX: '100000',
      }),
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const signInAs = (email: string) => mailSignIn(page, base, t.mails, email);
  const checkBothThemes = (name: string) => checkPageInBothThemes(page, name);

  /** An API call from the browser's own session (its cookie, CSRF token and origin). */
  async function api(method: string, url: string, data?: object) {
    const session = (await (await page.request.get(`${base}/api/v1/auth/session`)).json()) as {
      csrfToken: string;
    };
    return page.request.fetch(`${base}${url}`, {
      method,
      headers: { origin: base, 'x-csrf-token': session.csrfToken },
      ...(data ? { data } : {}),
    });
  }

  const tab = (name: string) =>
    page.getByRole('navigation', { name: 'Organisation settings' }).getByRole('link', { name });

  it('signs in, creates an organisation from the Organisation link and shows plan, usage and default targets', async () => {
    await signInAs(OWNER);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organisation' }).click();
    expect(page.url()).toBe(`${base}/org`);
    await page.getByLabel('Organisation name', { exact: true }).fill('Acme');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByRole('heading', { name: 'Plan and usage' }).waitFor();
    orgId = (
      await t.db.kysely.selectFrom('orgs').select('id').where('name', '=', 'Acme').executeTakeFirstOrThrow()
    ).id;
    await expect(page.getByTestId('org-role').textContent()).resolves.toBe('Acme · your role: Owner');

    const usage = (await (await page.request.get(`${base}/api/v1/orgs/${orgId}/usage`)).json()) as {
      plan: string;
      limits: { sites: number; scansPerMonth: number; browserScansPerMonth: number };
    };
    await expect(page.locator('.org-plan').textContent()).resolves.toBe(usage.plan);
    await expect(page.getByTestId('quota').nth(0).textContent()).resolves.toContain(
      `0 of ${usage.limits.sites}`,
    );
    await expect(page.getByTestId('quota').nth(1).textContent()).resolves.toContain(
      `0 of ${usage.limits.scansPerMonth}`,
    );
    await expect(page.getByTestId('quota').nth(2).textContent()).resolves.toContain(
      `0 of ${usage.limits.browserScansPerMonth}`,
    );
    // The product's defaults, in the inputs and in the Default column.
    for (const [severity, days] of [
      ['Critical', 1],
      ['High', 3],
      ['Medium', 30],
      ['Low', 90],
    ] as const) {
      await expect(page.getByLabel(`${severity}: days to fix`).inputValue()).resolves.toBe(String(days));
      await expect(
        page.getByTestId(`target-${severity.toLowerCase()}`).locator('td').nth(1).textContent(),
      ).resolves.toBe(days === 1 ? '1 day' : `${days} days`);
    }
    await checkBothThemes('org-general');
  });

  it('renames the organisation and the switcher follows', async () => {
    await page.getByLabel('Organisation name', { exact: true }).fill('Acme Security');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByText('Renamed to Acme Security.').waitFor();
    const switcher = page.locator('.org-switcher select');
    await expect(switcher.locator('option:checked').textContent()).resolves.toBe('Acme Security');
    const row = await t.db.kysely
      .selectFrom('orgs')
      .select('name')
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Acme Security');
  });

  it('sets remediation targets, stored and served by the API; resets them to the defaults', async () => {
    await page.getByLabel('Critical: days to fix').fill('2');
    await page.getByLabel('High: days to fix').fill('5');
    await page.getByLabel('Medium: days to fix').fill('20');
    await page.getByLabel('Low: days to fix').fill('60');
    await page.getByRole('button', { name: 'Save targets' }).click();
    await page.getByText(/Remediation targets saved/).waitFor();
    const stored = await page.request.get(`${base}/api/v1/orgs/${orgId}/remediation-targets`);
    expect(await stored.json()).toEqual({ critical: 2, high: 5, medium: 20, low: 60 });
    await page.reload();
    await expect(page.getByLabel('High: days to fix').inputValue()).resolves.toBe('5');

    // Out of range: the field refuses it and nothing is sent.
    await page.getByLabel('Low: days to fix').fill('400');
    await page.getByRole('button', { name: 'Save targets' }).click();
    await expect(
      page
        .getByLabel('Low: days to fix')
        .evaluate((input) => (input as { validity: { valid: boolean } }).validity.valid),
    ).resolves.toBe(false);
    const unchanged = await page.request.get(`${base}/api/v1/orgs/${orgId}/remediation-targets`);
    expect((await unchanged.json()).low).toBe(60);

    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    await page.getByText('Remediation targets reset to the defaults.').waitFor();
    const reset = await page.request.get(`${base}/api/v1/orgs/${orgId}/remediation-targets`);
    expect(await reset.json()).toEqual({ critical: 1, high: 3, medium: 30, low: 90 });
  });

  it('creates another organisation, which becomes the current one', async () => {
    await page.getByLabel('New organisation name').fill('Beta Labs');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await expect.poll(() => page.getByTestId('org-role').textContent()).toBe('Beta Labs · your role: Owner');
    const switcher = page.locator('.org-switcher select');
    await expect(switcher.locator('option').allTextContents()).resolves.toEqual([
      'Acme Security',
      'Beta Labs',
    ]);
    await switcher.selectOption({ label: 'Acme Security' });
    await expect
      .poll(() => page.getByTestId('org-role').textContent())
      .toBe('Acme Security · your role: Owner');
  });

  it('adds a member by email, changes the role, removes them; keeps the last owner', async () => {
    await tab('Members').click();
    await page.getByRole('heading', { name: 'Members (1)' }).waitFor();
    // The only owner: no role change or removal offered, and the rule is said.
    const me = page.getByTestId('member-row').filter({ hasText: OWNER });
    await expect(me.textContent()).resolves.toContain('The only owner');
    await expect(me.getByRole('button').count()).resolves.toBe(0);
    await checkBothThemes('org-members');

    await page.getByLabel('Email address').fill(COLLEAGUE);
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText(`${COLLEAGUE} is a member of Acme Security.`).waitFor();
    const colleague = page.getByTestId('member-row').filter({ hasText: COLLEAGUE });
    await expect(colleague.getByTestId('member-role').textContent()).resolves.toBe('Member');

    await colleague.getByLabel(`Role of ${COLLEAGUE}`, { exact: true }).selectOption('admin');
    await colleague.getByRole('button', { name: `Change role of ${COLLEAGUE}` }).click();
    await page.getByText(`${COLLEAGUE} is now admin.`).waitFor();
    await expect(
      page.getByTestId('member-row').filter({ hasText: COLLEAGUE }).getByTestId('member-role').textContent(),
    ).resolves.toBe('Admin');
    const roles = async () =>
      (
        await t.db.kysely
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.user_id')
          .select(['users.email', 'memberships.role'])
          .where('memberships.org_id', '=', orgId)
          .orderBy('users.email')
          .execute()
      ).map((r) => `${r.email}:${r.role}`);
    expect(await roles()).toEqual([`${COLLEAGUE}:admin`, `${OWNER}:owner`]);

    // Bad input: the browser refuses an address that is not one, and nothing changes.
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(
      page
        .getByLabel('Email address')
        .evaluate((input) => (input as { validity: { valid: boolean } }).validity.valid),
    ).resolves.toBe(false);

    await page
      .getByTestId('member-row')
      .filter({ hasText: COLLEAGUE })
      .getByRole('button', { name: `Remove ${COLLEAGUE}` })
      .click();
    await checkBothThemes('org-members-confirm');
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByText(`${COLLEAGUE} was removed.`).waitFor();
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(1);
    expect(await roles()).toEqual([`${OWNER}:owner`]);

    // The viewer used at the end of this file.
    await page.getByLabel('Email address').fill(VIEWER);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(
      page.getByTestId('member-row').filter({ hasText: VIEWER }).getByTestId('member-role').textContent(),
    ).resolves.toBe('Viewer');

    // The server's rule behind the hint: the last owner cannot step down.
    const demote = await api('PUT', `/api/v1/orgs/${orgId}/members`, { email: OWNER, role: 'admin' });
    expect(demote.status()).toBe(409);
    expect((await demote.json()).error.message).toBe('An organisation keeps at least one owner.');
  });

  it('adds a webhook to a loopback receiver, shows its secret once and its delivery log, then deletes it', async () => {
    await tab('Alerts').click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();
    await checkBothThemes('org-alerts');

    // Bad input, each with a clear message and nothing stored.
    await page.getByLabel('Receiver address (https)').fill('not-a-url');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('alert').filter({ hasText: 'Address: not a valid absolute URL' }).waitFor();
    await page.getByLabel('Receiver address (https)').fill('http://169.254.169.254/latest/meta-data');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^This address is not allowed/ })
      .waitFor();
    await checkBothThemes('org-alerts-refused');
    const none = await t.db.kysely.selectFrom('webhooks').select('id').execute();
    expect(none).toEqual([]);

    await page.getByLabel('Receiver address (https)').fill(receiverUrl);
    await page
      .getByRole('group', { name: 'Send these alerts' })
      .getByLabel('A finding becomes overdue')
      .uncheck();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByRole('textbox', { name: 'Secret', exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    const hook = page.getByTestId('webhook');
    await expect(hook.textContent()).resolves.toContain(receiverUrl);
    await expect(hook.textContent()).resolves.not.toContain('overdue');
    const stored = await t.db.kysely.selectFrom('webhooks').selectAll().executeTakeFirstOrThrow();
    expect(stored.secret).toBe(secret);
    expect(JSON.parse(stored.events)).toEqual(['grade.dropped', 'finding.new_high', 'privacy.changed']);
    await checkBothThemes('org-alerts-secret');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('webhook-secret').count()).resolves.toBe(0);
    // The list never carries the secret again.
    const listed = await page.request.get(`${base}/api/v1/orgs/${orgId}/webhooks`);
    expect(JSON.stringify(await listed.json())).not.toContain(secret);

    // One real delivery to the receiver, signed with that secret, then its log on the page.
    const eventId = randomUUID();
    await t.db.kysely
      .insertInto('alert_events')
      .values({
        id: eventId,
        org_id: orgId,
        site_id: null,
        type: 'grade.dropped',
        details: JSON.stringify({ site: 'https://example.com/', from: 'A', to: 'C' }),
      })
      .execute();
    const deliveryId = randomUUID();
    await t.db.kysely
      .insertInto('webhook_deliveries')
      .values({ id: deliveryId, webhook_id: stored.id, event_id: eventId })
      .execute();
    await deliverWebhook(t.db, testConfig({ ALLOW_PRIVATE_TARGETS: 'true' }), deliveryId);
    expect(received).toHaveLength(1);
    expect(
      verifySignature(secret, String(received[0]!.headers['x-vioscan-signature']), received[0]!.body),
    ).toBe(true);
    await hook.getByRole('button', { name: 'Deliveries' }).click();
    const delivery = page.getByTestId('delivery-row');
    await delivery.waitFor();
    const text = await delivery.textContent();
    expect(text).toContain('A site’s grade drops');
    expect(text).toContain('delivered');
    expect(text).toContain('HTTP 204');
    await expect(delivery.locator('td').nth(3).textContent()).resolves.toBe('1');
    await checkBothThemes('org-alerts-deliveries');

    // "Send test": one signed test event now, the receiver's answer on the page, no delivery logged.
    await hook.getByRole('button', { name: `Send test to ${receiverUrl}` }).click();
    await page.getByText('Delivered: the receiver answered HTTP 204.').waitFor();
    expect(received).toHaveLength(2);
    expect(received[1]!.headers['x-vioscan-event']).toBe('test');
    expect(
      verifySignature(secret, String(received[1]!.headers['x-vioscan-signature']), received[1]!.body),
    ).toBe(true);
    const logged = await t.db.kysely.selectFrom('webhook_deliveries').select('id').execute();
    expect(logged).toEqual([{ id: deliveryId }]);

    await hook.getByRole('button', { name: `Delete the webhook ${receiverUrl}` }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No webhooks yet.').waitFor();
    await expect(t.db.kysely.selectFrom('webhooks').select('id').execute()).resolves.toEqual([]);
  });

  it('chooses my alert emails and the daily digest', async () => {
    await expect(page.getByLabel(/Daily digest/).isChecked()).resolves.toBe(false);
    await page.getByLabel(/Daily digest/).check();
    await page.getByRole('group', { name: 'Email me when' }).getByLabel('A site’s grade drops').uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Notification preferences saved.').waitFor();
    const row = await t.db.kysely
      .selectFrom('notification_preferences')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(Boolean(row.digest)).toBe(true);
    expect(JSON.parse(row.email_events)).toEqual(['finding.new_high', 'finding.overdue', 'privacy.changed']);
    await page.reload();
    await expect(page.getByLabel(/Daily digest/).isChecked()).resolves.toBe(true);
    await expect(
      page.getByRole('group', { name: 'Email me when' }).getByLabel('A site’s grade drops').isChecked(),
    ).resolves.toBe(false);
  });

  it('shows a viewer no editing controls, and the API refuses the viewer', async () => {
    await page.getByRole('button', { name: OWNER }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await signInAs(VIEWER);

    await page.goto(`${base}/org`);
    await expect
      .poll(() => page.getByTestId('org-role').textContent())
      .toBe('Acme Security · your role: Viewer');
    await page.getByTestId('target-critical').waitFor();
    await expect(page.getByRole('button', { name: 'Rename' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Save targets' }).count()).resolves.toBe(0);
    await expect(page.getByRole('spinbutton').count()).resolves.toBe(0);
    await expect(page.getByTestId('target-critical').textContent()).resolves.toContain('1 day');
    await checkBothThemes('org-general-viewer');

    await tab('Members').click();
    await page.getByRole('heading', { name: 'Members (2)' }).waitFor();
    await expect(page.getByRole('button', { name: /^(Change role|Remove)/ }).count()).resolves.toBe(0);
    // Leaving is the viewer's own act, offered to every role (the last test below).
    await expect(page.getByRole('button', { name: 'Leave organisation' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Add member' }).count()).resolves.toBe(0);
    await expect(
      page.getByText('Owners and admins add, change and remove members.').isVisible(),
    ).resolves.toBe(true);
    await checkBothThemes('org-members-viewer');

    await tab('Alerts').click();
    await page.getByRole('heading', { name: 'My notification preferences' }).waitFor();
    await expect(page.getByRole('button', { name: 'Add webhook' }).count()).resolves.toBe(0);
    await expect(
      page.getByText('Owners and admins add and remove the organisation’s webhooks.').isVisible(),
    ).resolves.toBe(true);
    // A viewer still chooses their own emails.
    await expect(page.getByRole('button', { name: 'Save preferences' }).isVisible()).resolves.toBe(true);
    await checkBothThemes('org-alerts-viewer');

    const attempts: [string, string, object?][] = [
      ['PATCH', `/api/v1/orgs/${orgId}`, { name: 'Taken over' }],
      ['PUT', `/api/v1/orgs/${orgId}/members`, { email: VIEWER, role: 'owner' }],
      ['PUT', `/api/v1/orgs/${orgId}/remediation-targets`, { critical: 9, high: 9, medium: 9, low: 9 }],
      ['POST', `/api/v1/orgs/${orgId}/webhooks`, { url: receiverUrl }],
      ['GET', `/api/v1/orgs/${orgId}/webhooks`],
    ];
    for (const [method, url, body] of attempts) {
      const res = await api(method, url, body);
      expect([403, 404], `${method} ${url}`).toContain(res.status());
    }
    const org = await t.db.kysely
      .selectFrom('orgs')
      .selectAll()
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(org.name).toBe('Acme Security');
    const targets = await page.request.get(`${base}/api/v1/orgs/${orgId}/remediation-targets`);
    expect(await targets.json()).toEqual({ critical: 1, high: 3, medium: 30, low: 90 });
    await expect(t.db.kysely.selectFrom('webhooks').select('id').execute()).resolves.toEqual([]);
    const viewerRole = await t.db.kysely
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.role')
      .where('users.email', '=', VIEWER)
      .executeTakeFirstOrThrow();
    expect(viewerRole.role).toBe('viewer');
  });

  it('lets the viewer leave the organisation after confirming; the organisation is gone for them', async () => {
    await page.goto(`${base}/org/members`);
    await page.getByRole('heading', { name: 'Members (2)' }).waitFor();
    await page.getByRole('button', { name: 'Leave organisation' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm leaving Acme Security' });
    await confirm.waitFor();
    await checkBothThemes('org-members-leave-confirm');
    // Cancel first: nothing changes.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect((await api('GET', `/api/v1/orgs/${orgId}`)).status()).toBe(200);

    await page.getByRole('button', { name: 'Leave organisation' }).click();
    await page.getByRole('button', { name: 'Yes, leave Acme Security' }).click();
    await expect.poll(async () => (await api('GET', `/api/v1/orgs/${orgId}`)).status()).toBe(404);
    // The switcher's list no longer holds it, and the page no longer shows its members.
    const orgs = (await (await api('GET', '/api/v1/orgs')).json()) as { orgs: { id: string }[] };
    expect(orgs.orgs.map((o) => o.id)).not.toContain(orgId);
    await expect.poll(() => page.getByRole('heading', { name: 'Members (2)' }).count()).toBe(0);
    const left = await t.db.kysely
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.role')
      .where('users.email', '=', VIEWER)
      .execute();
    expect(left).toEqual([]);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'org.member_left')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
