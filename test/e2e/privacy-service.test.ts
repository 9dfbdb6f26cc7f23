import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScanJob } from '../../src/modules/scans/run.ts';
import { requestScan } from '../../src/modules/scans/service.ts';
import { closeBrowserPool } from '../../src/scanner/browser/index.ts';
import { scan } from '../../src/scanner/index.ts';
import { createServiceApp, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { startFixtureSites, type FixtureSites } from '../scanner/browser/fixture-sites.ts';
import { checkPageInBothThemes, type TestBrowser } from './browser.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

/**
 * End to end: a signed-in team's browser scan of the local tracking fixture, run by the scan job with
 * the real scanner and the real Chromium (the fixture's names resolve to loopback only through its
 * resolver, which the job's scanner is given), then read in the web app's Privacy tab.
 */
describe('a team’s browser scan of a tracking site, through the worker, in the Privacy tab', () => {
  let t: ServiceTestApp;
  let sites: FixtureSites;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;

  beforeAll(async () => {
    sites = await startFixtureSites();
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createServiceApp('pglite', { BASE_URL: baseUrl, BROWSER_SCANS: 'true', SCAN_TIMEOUT_S: '150' }, []),
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await closeBrowserPool();
    await t?.close();
    await sites?.close();
  });

  it('scans with the browser, keeps the screenshots and shows the verdict and the three visits', async () => {
    await mailSignIn(page, base, t.mails, 'tracking-team@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByLabel('Organisation name').fill('Tracking team');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByText('No sites yet.').waitFor();
    const org = await t.db.kysely.selectFrom('orgs').select('id').executeTakeFirstOrThrow();
    const user = await t.db.kysely.selectFrom('users').select('id').executeTakeFirstOrThrow();
    // Straight into the table: adding it through the API would look its fixture name up in public DNS.
    const siteId = randomUUID();
    const url = new URL(sites.trackingUrl);
    await t.db.kysely
      .insertInto('sites')
      .values({
        id: siteId,
        org_id: org.id,
        url: url.href,
        host: url.hostname,
        name: 'Tracking shop',
        verification_token: 'x'.repeat(32),
        created_at: new Date(),
      })
      .execute();

    const queued = await requestScan(t.db, t.config, t.jobs.boss, {
      orgId: org.id,
      siteId,
      source: 'ui',
      requestedBy: user.id,
    });
    expect(queued.browser).toBe(true);
    const done = await runScanJob(
      {
        db: t.db,
        config: t.config,
        logger: pino({ level: 'silent' }),
        scanner: (target, options) =>
          scan(target, { ...options, resolver: sites.resolver, ca: [sites.caPem] }),
      },
      queued.id,
    );
    expect(done).toEqual({ status: 'succeeded' });

    await page.goto(`${base}/scans/${queued.id}`);
    await page.getByRole('tab', { name: 'Privacy' }).click();
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
    // The screenshots were kept with the scan and load under the page's CSP.
    const shot = page.locator('.visits img.visit-screenshot').first();
    await shot.scrollIntoViewIfNeeded();
    await expect
      .poll(() => shot.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0);
    await page.locator('.visits').getByText('_ga', { exact: true }).first().waitFor();
    await page.getByRole('link', { name: 'screenshot-none.jpg' }).waitFor();
    await checkPageInBothThemes(page, 'privacy-service-tracking');
  }, 300_000);

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
