/**
 * The standalone HTML report (`--format html`) opened from disk in Chromium, as a reader would open a
 * downloaded file: no server, no script, its own CSP. The filters hide findings and the root-cause
 * groups left with nothing to show; the page is axe-clean in the light and the dark scheme.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenReport } from '../../scripts/update-golden.ts';
import { render } from '../../src/scanner/report/index.ts';
import { openBrowser, screenshot, seriousAxeViolations, type TestBrowser } from './browser.ts';

/** The legacy site's report with its security.txt finding accepted as a risk (an "Accepted risks" group). */
function legacyReport() {
  const report = goldenReport('legacy-site');
  const securityTxt = report.findings.filter((f) => f.category === 'disclosure');
  expect(securityTxt).toHaveLength(1);
  securityTxt[0]!.accepted = { reason: 'Published elsewhere', expires: '2026-12-31' };
  // Priorities are recomputed without the accepted finding, as for a stored report.
  delete report.priorities;
  return report;
}

const CORS = 'CORS lets other sites read responses';
const HTTPS = 'Serve the whole site over HTTPS';
const HEADER_CAUSES = [
  'Content-Security-Policy is missing or weak',
  'Add the missing security headers',
  'Server software versions are disclosed',
];
const ACCEPTED = 'Accepted risks (1)';

describe('the offline HTML report in a real browser', () => {
  let browser: TestBrowser;
  let page: Page;
  let csp: string[];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vioscan-html-report-'));
    const file = path.join(dir, 'report.html');
    writeFileSync(file, render(legacyReport(), 'html'));
    ({ browser, page, csp } = await openBrowser());
    await page.goto(pathToFileURL(file).href);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const group = (title: string) => page.getByRole('heading', { level: 3, name: title, exact: true });
  const visibleGroups = async () =>
    (await page
      .locator('section.cause')
      .evaluateAll((sections) =>
        sections.filter((s) => s.getClientRects().length > 0).map((s) => s.querySelector('h3')?.textContent),
      )) as string[];
  const box = (label: string) => page.getByRole('checkbox', { name: label, exact: true });

  it('shows every root-cause group and finding before any filter is touched', async () => {
    const findings = await page.locator('details.finding').count();
    await page.getByRole('heading', { name: `Findings by root cause (${findings})` }).waitFor();
    const groups = await visibleGroups();
    expect(groups).toHaveLength(await page.locator('section.cause').count());
    expect(groups).toContain(ACCEPTED);
    await expect(page.locator('details.finding:visible').count()).resolves.toBe(findings);
  });

  it('hides a group once all its findings are filtered out, and shows it again', async () => {
    await box('Critical').uncheck();
    await expect(group(CORS).isVisible()).resolves.toBe(false);
    // Plain HTTP still has non-critical findings under it.
    await expect(group(HTTPS).isVisible()).resolves.toBe(true);
    await expect(page.locator('details.finding.sev-critical:visible').count()).resolves.toBe(0);

    await box('headers').uncheck();
    for (const title of HEADER_CAUSES) await expect(group(title).isVisible()).resolves.toBe(false);
    await box('disclosure').uncheck();
    await expect(group(ACCEPTED).isVisible()).resolves.toBe(false);
    await screenshot(page, 'html-report-filtered');
    // Every group still shown has a finding the reader can see.
    for (const title of await visibleGroups())
      await expect(
        page
          .locator('section.cause', { has: group(title) })
          .locator('details.finding:visible')
          .count(),
      ).resolves.toBeGreaterThan(0);

    // A finding shows only when both its severity and its category are ticked.
    await box('Critical').check();
    await expect(group(CORS).isVisible()).resolves.toBe(false);
    await box('headers').check();
    await expect(group(CORS).isVisible()).resolves.toBe(true);
    for (const title of HEADER_CAUSES) await expect(group(title).isVisible()).resolves.toBe(true);
    await box('disclosure').check();
    await expect(group(ACCEPTED).isVisible()).resolves.toBe(true);
    expect(await visibleGroups()).toHaveLength(await page.locator('section.cause').count());
    await expect(page.locator('details.finding:visible').count()).resolves.toBe(
      await page.locator('details.finding').count(),
    );
  });

  it('is axe-clean in the light and the dark scheme, under its own CSP', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('details.finding summary').first().click();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `html-report-${scheme}`);
      await page.locator('details.finding summary').first().click();
    }
    expect(csp).toEqual([]);
  });
});
