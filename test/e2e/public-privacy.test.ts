import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../src/jobs/types.ts';
import { publicBrowserScanJob } from '../../src/jobs/public-browser-scan.ts';
import { closeBrowserPool } from '../../src/scanner/browser/index.ts';
import { scan } from '../../src/scanner/index.ts';
import { createServiceApp, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { startFixtureSites, type FixtureSites } from '../scanner/browser/fixture-sites.ts';
import { checkPageInBothThemes, type TestBrowser } from './browser.ts';
import { openAppInBrowser } from './server.ts';

/**
 * End to end: an anonymous visitor scans the local tracking fixture from the landing page. The
 * passive report comes at once; the browser stage waits for the one slot (held by the test at first,
 * so the queue position shows), runs in the public-browser-scan job with the real Chromium, and the
 * report page, polling, gains the Privacy tab with the verdict. The fixture's names resolve to
 * loopback only through its resolver, given to the passive scan and to the job.
 */
describe('an anonymous browser scan from the landing page, in the Privacy tab', () => {
  let t: ServiceTestApp;
  let sites: FixtureSites;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;

  beforeAll(async () => {
    sites = await startFixtureSites();
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createServiceApp(
        'pglite',
        {
          BASE_URL: baseUrl,
          BROWSER_SCANS: 'true',
          SCAN_TIMEOUT_S: '150',
          PUBLIC_BROWSER_SCAN_CONCURRENCY: '1',
        },
        [publicBrowserScanJob({ resolver: sites.resolver, ca: [sites.caPem] }) as JobDefinition],
        {
          publicScans: {
            resolver: sites.resolver,
            scan: (target, options) => scan(target, { ...options, ca: [sites.caPem] }),
          },
        },
      ),
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await closeBrowserPool();
    await t?.close();
    await sites?.close();
  });

  it('shows the queue position, then the browser visits running, then the verdict in the Privacy tab', async () => {
    // Another anonymous scan holds the instance's only browser slot.
    await t.db.kysely
      .insertInto('public_browser_leases')
      .values({ slot: 1, scan_id: 'someone-else', expires_at: new Date(Date.now() + 600_000) })
      .execute();

    await page.goto(`${base}/`);
    await page.getByLabel('Website address').fill(sites.trackingUrl);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await page.waitForURL(/\/scan\/[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
    const stage = page.getByTestId('browser-stage');
    await expect
      .poll(() => stage.textContent(), { timeout: 30_000 })
      .toMatch(/Privacy and accessibility checks waiting: position 1 in the queue\.$/);
    // The passive report is there while the browser stage waits; no tabs yet.
    await page.getByRole('heading', { name: /^Findings by root cause \(\d+\)$/ }).waitFor();
    await expect(page.getByRole('tab', { name: 'Privacy' }).count()).resolves.toBe(0);
    await checkPageInBothThemes(page, 'public-browser-waiting');

    await t.db.kysely.deleteFrom('public_browser_leases').where('scan_id', '=', 'someone-else').execute();
    await expect
      .poll(() => stage.textContent(), { timeout: 60_000 })
      .toMatch(/running the browser visits|sections are ready/);

    const privacy = page.getByRole('tab', { name: 'Privacy' });
    await privacy.waitFor({ timeout: 200_000 });
    await expect(
      page.getByRole('tablist', { name: 'Report sections' }).getByRole('tab').allTextContents(),
    ).resolves.toEqual(['Security', 'Privacy', 'Accessibility']);
    await privacy.click();
    const verdict = await page.getByTestId('privacy-verdict').getByRole('listitem').allTextContents();
    expect(verdict[0]).toMatch(
      /^\d+ trackers? loads? before consent; \d+ keeps? loading after you reject\.$/,
    );
    expect(verdict[0]).not.toMatch(/^No tracker/);
    await expect(page.locator('.visits > article h3').allTextContents()).resolves.toEqual([
      'Before consent',
      'After you reject',
      'With GPC',
    ]);
    await page.locator('.visits').getByText('_ga', { exact: true }).first().waitFor();
    // Each visit's screenshot is kept with the report (a visit that could not take one under load has
    // none) and loads under the page's CSP.
    const { screenshots } = await t.db.kysely
      .selectFrom('public_scans')
      .select('screenshots')
      .executeTakeFirstOrThrow();
    expect(Object.keys(screenshots ?? {})).toContain('none');
    const shots = page.locator('.visits img.visit-screenshot');
    await expect(shots.count()).resolves.toBe(Object.keys(screenshots ?? {}).length);
    await shots.first().scrollIntoViewIfNeeded();
    await expect
      .poll(() => shots.first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await checkPageInBothThemes(page, 'public-browser-privacy');

    // The artefacts that waited for the browser stage are gone once it ran.
    const row = await t.db.kysely.selectFrom('public_scans').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ browser_status: 'done', artefacts: null, browser_error: null });
  }, 400_000);

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
