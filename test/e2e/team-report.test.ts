import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/scanner/types.ts';
import { createServiceApp, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { startTestSite, type RunningSite } from '../sites/site.ts';
import { checkPageInBothThemes, screenshot, type TestBrowser } from './browser.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

const EMAIL = 'team-report@example.com';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
// Headers the second scan finds: the grade moves, so the history has somewhere to go.
const HARDENED = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** The committed documentation screenshots are only rewritten on request (see docs/web.md). */
const docsShot = (name: string) =>
  process.env.VIOSCAN_UPDATE_SCREENSHOTS ? path.resolve(`docs/screenshots/${name}.png`) : undefined;

/** Nothing on the page is wider than the window: no sideways scrolling. */
const overflow = (page: Page) =>
  page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  ) as Promise<number>;

/**
 * A signed-in team's stored report (issue 15, items 2 and 3) in a real browser, against the app with
 * real scan workers: the findings grouped by root cause, *Rescan* starting a new scan that the page
 * follows to its report, and the grade history and sparkline read on a phone.
 */
describe('a team’s report, rescan and grade history in a real browser', () => {
  let t: ServiceTestApp;
  let site: RunningSite;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;
  let hardened = false;
  // The next answer of the home page is held back a few seconds, so a scan is still under way.
  let holdNext = false;

  beforeAll(async () => {
    site = await startTestSite({
      tls: false,
      http: true,
      routes: {
        '/': () => {
          const delayMs = holdNext ? 5_000 : 0;
          holdNext = false;
          return {
            headers: { 'content-type': 'text/html; charset=utf-8', ...(hardened ? HARDENED : {}) },
            body: '<!doctype html><html><head><title>fixture</title></head><body><p>hello</p></body></html>',
            delayMs,
          };
        },
      },
    });
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createServiceApp('pglite', { BASE_URL: baseUrl }),
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await site?.close();
  });

  it('a fresh install’s status page says there is no history yet, never a made-up uptime', async () => {
    await page.goto(`${base}/status`);
    await page.getByRole('heading', { name: 'Components over 90 days' }).waitFor();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('All systems operational');
    const text = (await page.locator('main').textContent())!;
    expect(text).toMatch(/The health monitor has not reported yet\.|no data uptime/);
    expect(text).not.toMatch(/Degraded|0\.00 %|100 %/);
  });

  it('scans a new site and shows its findings grouped by root cause', async () => {
    await mailSignIn(page, base, t.mails, EMAIL);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByLabel('Organisation name').fill('Acme');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByLabel('Site address').fill(site.url);
    await page.getByRole('button', { name: 'Add site' }).click();
    await page.getByRole('heading', { name: 'Ownership' }).waitFor();
    await page.getByRole('button', { name: 'Scan now' }).click();
    await page.getByRole('link', { name: 'Open the report' }).click({ timeout: 90_000 });

    const findings = page.getByRole('heading', { name: /^Findings by root cause \(\d+\)$/ });
    await findings.waitFor();
    expect(page.url()).toMatch(/\/scans\/[^/]+$/);
    // Plain HTTP is one cause that explains several findings; each finding is one closed line.
    const https = page.getByRole('region', { name: 'Serve the whole site over HTTPS' });
    expect(await https.locator('details.finding-row').count()).toBeGreaterThan(1);
    expect(await page.locator('details.finding-row[open]').count()).toBe(0);
    const first = https.locator('details.finding-row').first();
    await first.locator('summary').click();
    await expect(first.getAttribute('open')).resolves.toBe('');
    await expect(first.getByRole('heading', { name: 'Evidence' }).isVisible()).resolves.toBe(true);
    await checkPageInBothThemes(page, 'team-report');
    await findings.evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'report-findings', docsShot('report-findings'));

    // The category filter keeps the groups that hold a finding of that category, and only those findings.
    const jsonHref = await page.getByRole('link', { name: 'JSON' }).getAttribute('href');
    const report = (await (await page.request.get(`${base}${jsonHref}`)).json()) as Report;
    const disclosure = new Set(report.findings.filter((f) => f.category === 'disclosure').map((f) => f.id));
    expect(disclosure.size).toBeGreaterThan(0);
    await page.getByLabel('Category').selectOption('disclosure');
    await expect(page.locator('section.cause h3').allTextContents()).resolves.toEqual(
      report
        .priorities!.rootCauses.filter((c) => c.findings.some((id) => disclosure.has(id)))
        .map((c) => c.title),
    );
    await expect(page.locator('details.finding-row').count()).resolves.toBe(disclosure.size);
    await expect(page.locator('.finding-filters [role="status"]').textContent()).resolves.toBe(
      `${disclosure.size} of ${report.findings.length} shown`,
    );
    await page.getByLabel('Category').selectOption('');
    await expect(page.locator('details.finding-row').count()).resolves.toBe(report.findings.length);

    // Printed: no buttons or filters, and every finding's details, even the closed ones.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: 'Rescan' }).isVisible()).resolves.toBe(false);
    await expect(page.locator('.finding-filters').isVisible()).resolves.toBe(false);
    const closed = page.locator('details.finding-row:not([open])').first();
    await expect(closed.getByRole('heading', { name: 'Evidence' }).isVisible()).resolves.toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await expect(closed.getByRole('heading', { name: 'Evidence' }).isVisible()).resolves.toBe(false);
  });

  it('Rescan starts a new scan of the site, and the page follows it to its report', async () => {
    const [before] = await t.db.kysely.selectFrom('scans').select(['id', 'grade']).execute();
    const firstUrl = page.url();
    hardened = true;
    holdNext = true;
    await page.getByRole('button', { name: 'Rescan' }).click();
    await page.waitForURL((url) => url.href !== firstUrl && /\/scans\/[^/]+$/.test(url.pathname));
    // The new scan's live state, then its report in the same page.
    await page
      .locator('.scan-state')
      .getByText(/^(Queued|Running)$/)
      .waitFor();
    await page
      .getByRole('heading', { name: /^Findings by root cause \(\d+\)$/ })
      .waitFor({ timeout: 90_000 });
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(new URL(site.url).host);

    const scans = await t.db.kysely
      .selectFrom('scans')
      .select(['id', 'status', 'source', 'grade', 'score'])
      .orderBy('created_at')
      .execute();
    expect(scans.map((s) => [s.status, s.source])).toEqual([
      ['succeeded', 'ui'],
      ['succeeded', 'ui'],
    ]);
    expect(scans[0]!.id).toBe(before!.id);
    expect(page.url()).toBe(`${base}/scans/${scans[1]!.id}`);
    await expect(page.locator('.report-summary .grade-letter').textContent()).resolves.toBe(scans[1]!.grade);
    // The new headers lift the score.
    expect(scans[1]!.score!).toBeGreaterThan(scans[0]!.score!);
  });

  it('reads the report, the grade history and the sparkline on a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByRole('heading', { name: /^Findings by root cause/ }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await checkPageInBothThemes(page, 'team-report-phone');
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'report-mobile', docsShot('report-mobile'));

    await page.getByRole('link', { name: 'the site’s page' }).click();
    await page.getByRole('heading', { name: 'Grade history' }).waitFor();
    const chart = page.locator('.history-chart');
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // One labelled point per scan, oldest first; each grade letter is drawn large enough to read.
    const grades = (
      await t.db.kysely.selectFrom('scans').select('grade').orderBy('created_at').execute()
    ).map((s) => s.grade);
    const labels = chart.locator('.history-label');
    await expect(labels.allTextContents()).resolves.toEqual(grades);
    for (const label of await labels.all()) {
      await expect(label.isVisible()).resolves.toBe(true);
      const at = (await label.boundingBox())!;
      expect(at.height).toBeGreaterThanOrEqual(12);
      expect(at.x).toBeGreaterThanOrEqual(box.x);
      expect(at.x + at.width).toBeLessThanOrEqual(box.x + box.width);
    }
    for (const axis of await chart.locator('.history-axis').all()) {
      const at = (await axis.boundingBox())!;
      expect(at.height).toBeGreaterThanOrEqual(12);
      expect(at.x).toBeGreaterThanOrEqual(box.x);
    }
    await expect(page.locator('#history-caption').textContent()).resolves.toBe(
      `Score of the last 2 successful scans, oldest first: ${(
        await t.db.kysely.selectFrom('scans').select(['grade', 'score']).orderBy('created_at').execute()
      )
        .map((s) => `${s.grade} (${s.score})`)
        .join(', ')}.`,
    );
    await checkPageInBothThemes(page, 'team-site-phone');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    const card = page.getByTestId('site');
    const sparkline = card.getByRole('img', { name: `Grade trend, oldest first: ${grades.join(', ')}` });
    await sparkline.waitFor();
    const spark = (await sparkline.boundingBox())!;
    expect(spark.x + spark.width).toBeLessThanOrEqual(PHONE.width);
    expect(await sparkline.locator('polyline').count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await checkPageInBothThemes(page, 'team-sites-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('the findings board: Escape closes the accept-risk form, an accepted risk is not open, ending it is explicit', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Findings' }).click();
    await page.getByLabel('Status', { exact: true }).selectOption('open');
    await page.waitForURL(/status=open/);
    const openCount = async () =>
      Number(/^(\d+) open/.exec((await page.getByTestId('open-count').textContent())!)![1]);
    const before = await openCount();
    expect(before).toBeGreaterThan(0);

    const target = page.getByTestId('finding').first();
    const title = (await target.locator('h3').textContent())!;
    const accept = target.getByRole('button', { name: 'Accept risk…' });
    await accept.click();
    await expect.poll(() => page.evaluate('document.activeElement.tagName')).toBe('TEXTAREA');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate('document.activeElement.textContent')).toBe('Accept risk…');
    expect(await target.getByLabel('Reason for accepting the risk').count()).toBe(0);

    await accept.click();
    await target.getByLabel('Reason for accepting the risk').fill('Behind the office VPN');
    await target.getByRole('button', { name: 'Accept risk', exact: true }).click();
    await target.getByText(/Risk accepted until .*: Behind the office VPN/).waitFor();
    await page.reload();
    await page.getByTestId('open-count').waitFor();
    await expect.poll(openCount).toBe(before - 1);

    // Moving an accepted risk says that it ends the acceptance.
    await page.getByLabel('Status', { exact: true }).selectOption('accepted');
    const accepted = page.getByTestId('finding').filter({ hasText: title });
    await accepted.getByRole('button', { name: 'End acceptance and acknowledge' }).click();
    await accepted.getByText('Acknowledged', { exact: true }).waitFor();
    const row = await t.db.kysely
      .selectFrom('findings')
      .select(['status', 'accepted_reason', 'accepted_until'])
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'acknowledged', accepted_reason: null, accepted_until: null });
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await expect.poll(openCount).toBe(before);
    await checkPageInBothThemes(page, 'team-findings');
  });

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
