import { randomBytes, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenReport } from '../../scripts/update-golden.ts';
import type { Report } from '../../src/scanner/types.ts';
import { createServiceApp, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { checkPageInBothThemes, type TestBrowser } from './browser.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/**
 * The real privacy and accessibility checks over the golden tracking-site artefact (as test/golden
 * replays it), with one cookie name made hostile: what the browser stage would give, without a browser
 * stage. Stored as a public scan and as a team's scan, then read in the Privacy and Accessibility tabs.
 */
function trackingReport(): Report {
  const report = goldenReport('tracking-site');
  const cookie = report.privacy?.cookies.find((c) => c.visit === 'none');
  if (!cookie) throw new Error('the golden tracking report has no cookie before consent');
  cookie.name = HOSTILE;
  return report;
}

async function expectTabs(page: Page) {
  const tabs = page.getByRole('tablist', { name: 'Report sections' }).getByRole('tab');
  await tabs.first().waitFor();
  await expect(tabs.allTextContents()).resolves.toEqual(['Security', 'Privacy', 'Accessibility']);
  await expect(page.getByRole('tab', { name: 'Security' }).getAttribute('aria-selected')).resolves.toBe(
    'true',
  );
  await page.getByRole('heading', { name: /^Findings by root cause \(\d+\)$/ }).waitFor();
}

async function openPrivacyTab(page: Page) {
  // Keyboard: the arrow key moves to the next tab and shows its panel.
  await page.getByRole('tab', { name: 'Security' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Privacy' }).getAttribute('aria-selected')).resolves.toBe(
    'true',
  );
  await page.getByRole('heading', { name: 'Verdict' }).waitFor();
}

describe('the report’s Privacy and Accessibility tabs in a real browser', () => {
  let t: ServiceTestApp;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  const report = trackingReport();

  beforeAll(async () => {
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createServiceApp('pglite', { BASE_URL: baseUrl }),
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the public report’s verdict, the three visits side by side and escapes what the page set', async () => {
    const id = randomBytes(16).toString('base64url');
    const now = Date.now();
    await t.db.kysely
      .insertInto('public_scans')
      .values({
        id,
        target: report.target,
        report: JSON.stringify(report),
        created_at: new Date(now),
        expires_at: new Date(now + 3_600_000),
      })
      .execute();
    await page.goto(`${base}/scan/${id}`);
    await expectTabs(page);
    await openPrivacyTab(page);

    const verdict = await page.getByTestId('privacy-verdict').getByRole('listitem').allTextContents();
    expect(verdict[0]).toMatch(
      /^\d+ trackers? loads? before consent; \d+ keeps? loading after you reject\.$/,
    );
    // Counted by company: Google's tag manager, analytics and advertising are one tracker.
    const companies = new Set(
      report.privacy?.thirdParties
        .filter((p) => p.tracker && (p.requests.none ?? 0) > 0)
        .map((p) => p.company),
    );
    expect(verdict[0]).toMatch(new RegExp(`^${companies.size} trackers load before consent`));
    expect(verdict.some((v) => /scripts? fingerprints? the browser/.test(v))).toBe(true);
    expect(verdict.some((v) => v.startsWith('What a visitor types leaves the page'))).toBe(true);

    const columns = page.locator('.visits > article');
    await expect(columns.locator('h3').allTextContents()).resolves.toEqual([
      'Before consent',
      'After you reject',
      'With GPC',
    ]);
    // Side by side: the three columns share one row at this width.
    const tops = await columns.evaluateAll((els) =>
      els.map((el) => Math.round(el.getBoundingClientRect().top)),
    );
    expect(new Set(tops).size).toBe(1);

    // The hostile cookie name is text, not markup.
    const first = columns.first();
    await first.getByText(HOSTILE, { exact: true }).waitFor();
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(page.evaluate('window.__pwned')).resolves.toBeUndefined();

    const fingerprint = report.privacy?.fingerprinting[0];
    await page.getByRole('heading', { name: /^Fingerprinting \(\d+\)$/ }).waitFor();
    await page.getByRole('cell', { name: fingerprint?.script }).first().waitFor();
    const keyLog = report.privacy?.keyLogging?.[0];
    await page.getByRole('cell', { name: keyLog?.evidence }).first().waitFor();
    await checkPageInBothThemes(page, 'privacy-tab-public');

    await page.getByRole('tab', { name: 'Accessibility' }).click();
    await expect(page.getByTestId('accessibility-summary').first().textContent()).resolves.toMatch(
      new RegExp(`: ${report.accessibility?.violations} rule\\(s\\) violated`),
    );
    await expect(page.locator('#report-panel-accessibility tbody tr').count()).resolves.toBe(
      report.accessibility?.rules.length,
    );
    await checkPageInBothThemes(page, 'accessibility-tab-public');
  });

  it('shows a signed-in team’s stored browser scan with the same tabs', async () => {
    await mailSignIn(page, base, t.mails, 'privacy-tabs@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByLabel('Organisation name').fill('Acme');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByLabel('Site address').fill('https://example.test/');
    await page.getByRole('button', { name: 'Add site' }).click();
    await page.getByRole('heading', { name: 'Ownership' }).waitFor();
    const siteId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const site = await t.db.kysely
      .selectFrom('sites')
      .select(['org_id'])
      .where('id', '=', siteId)
      .executeTakeFirstOrThrow();
    const scanId = randomUUID();
    await t.db.kysely
      .insertInto('scans')
      .values({
        id: scanId,
        org_id: site.org_id,
        site_id: siteId,
        target: report.target,
        host: new URL(report.target).hostname,
        source: 'api',
        requested_by: null,
        status: 'succeeded',
        progress: 100,
        grade: report.grade,
        score: report.score === null ? null : Math.round(report.score),
        report: JSON.stringify(report),
        finished_at: new Date(),
      })
      .execute();

    await page.goto(`${base}/scans/${scanId}`);
    await expectTabs(page);
    await openPrivacyTab(page);
    await page.locator('.visits').getByText(HOSTILE, { exact: true }).waitFor();
    await checkPageInBothThemes(page, 'privacy-tab-team');
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
