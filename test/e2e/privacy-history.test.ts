import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScanJob } from '../../src/modules/scans/run.ts';
import { requestScan } from '../../src/modules/scans/service.ts';
import type { Artefacts } from '../../src/scanner/types.ts';
import {
  changedTrackingArtefacts,
  replayScanner,
  trackingArtefacts,
} from '../modules/scans/browser-helpers.ts';
import { createServiceApp, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { checkPageInBothThemes, type TestBrowser } from './browser.ts';
import { mailSignIn, openAppInBrowser } from './server.ts';

/**
 * End to end: a site with a passive scan and two browser scans (the golden tracking site, then the
 * same site with Hotjar gone and a new third party), each stored by the real scan job from replayed
 * artefacts; the site page shows the security and the privacy grade history and the third parties
 * over time, and the report page offers the evidence bundle.
 */
describe('the site page’s privacy history', () => {
  let t: ServiceTestApp;
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let base: string;

  beforeAll(async () => {
    ({ t, base, browser, page, csp } = await openAppInBrowser((baseUrl) =>
      createServiceApp('pglite', { BASE_URL: baseUrl, BROWSER_SCANS: 'true' }, []),
    ));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the security and privacy grade histories and which third parties came and went', async () => {
    await mailSignIn(page, base, t.mails, 'history-team@example.com');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByLabel('Organisation name').fill('History team');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByText('No sites yet.').waitFor();
    const org = await t.db.kysely.selectFrom('orgs').select('id').executeTakeFirstOrThrow();
    const user = await t.db.kysely.selectFrom('users').select('id').executeTakeFirstOrThrow();
    // Straight into the table: its name is never looked up, the scans replay recorded artefacts.
    const siteId = randomUUID();
    await t.db.kysely
      .insertInto('sites')
      .values({
        id: siteId,
        org_id: org.id,
        url: 'https://example.test/',
        host: 'example.test',
        name: 'Example shop',
        verification_token: 'x'.repeat(32),
      })
      .execute();
    const scanWith = async (browserStage: boolean, artefacts: Artefacts) => {
      const queued = await requestScan(t.db, t.config, t.jobs.boss, {
        orgId: org.id,
        siteId,
        source: 'ui',
        requestedBy: user.id,
        browser: browserStage,
      });
      const done = await runScanJob(
        {
          db: t.db,
          config: t.config,
          logger: pino({ level: 'silent' }),
          scanner: replayScanner([], artefacts),
        },
        queued.id,
      );
      expect(done).toEqual({ status: 'succeeded' });
      return queued.id;
    };
    await scanWith(false, trackingArtefacts());
    await scanWith(true, trackingArtefacts());
    const latest = await scanWith(true, changedTrackingArtefacts());

    await page.goto(`${base}/sites/${siteId}`);
    await page.getByRole('heading', { name: 'Grade history' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Security', level: 3 }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'Privacy', level: 3 }).isVisible()).resolves.toBe(true);
    // Every scan has a security grade; only the two browser scans have a privacy grade.
    await expect(page.getByTestId('history').locator('.history-dot').count()).resolves.toBe(3);
    await expect(page.getByTestId('privacy-history').locator('.history-dot').count()).resolves.toBe(2);
    await expect(
      page
        .getByRole('img', { name: /^Privacy score of the last 2 browser scans, oldest first: F/ })
        .isVisible(),
    ).resolves.toBe(true);

    await page.getByRole('heading', { name: 'Third parties over time' }).waitFor();
    const rows = page.getByTestId('third-parties-row');
    await expect(rows.count()).resolves.toBe(2);
    const [appeared, gone] = [rows.first().locator('td').nth(1), rows.first().locator('td').nth(2)];
    await expect(appeared.textContent()).resolves.toContain('newparty.example');
    await expect(gone.textContent()).resolves.toContain('Hotjar');
    await expect(gone.textContent()).resolves.not.toContain('newparty.example');
    await expect(rows.nth(1).textContent()).resolves.toContain('First browser scan');
    await checkPageInBothThemes(page, 'privacy-history-site');

    // The newest row leads to its report, which offers the whole evidence as one zip.
    await rows.first().getByRole('link').click();
    await page.waitForURL(`${base}/scans/${latest}`);
    const bundle = page.getByTestId('evidence-bundle');
    await bundle.waitFor();
    const zip = await page.request.get(`${base}${await bundle.getAttribute('href')}`);
    expect(zip.status()).toBe(200);
    expect(zip.headers()['content-type']).toBe('application/zip');
    expect((await zip.body()).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
  }, 300_000);

  it('reported no CSP violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
