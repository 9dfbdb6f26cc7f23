import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const ARTIFACTS = path.resolve('test-artifacts');

/** Debian's chromium (installed by .ci/run); CHROMIUM_PATH overrides. No downloaded browser builds. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'vioscan-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type TestBrowser = Awaited<ReturnType<typeof launchBrowser>>;

/** A browser whose CSP violations are collected in `csp`, with one page open. */
export async function openBrowser(): Promise<{
  browser: TestBrowser;
  context: BrowserContext;
  page: Page;
  csp: string[];
}> {
  const browser = await launchBrowser();
  const csp = await watchCsp(browser.context);
  const page = await browser.context.newPage();
  return { browser, context: browser.context, page, csp };
}

/**
 * Collects CSP violations from both the DOM event and the console. The listener is installed
 * through the DevTools protocol, which the page's CSP does not govern (nothing inline is added).
 */
export async function watchCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  // A string, not a function: this file is typed for Node (no DOM lib).
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI);
  });`);
  context.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|CSP violation/i.test(text)) violations.push(text);
  });
  return violations;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (evaluated over the protocol, so the CSP needs no exception). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('axe.run()')) as { violations: AxeViolation[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
}

export async function screenshot(page: Page, name: string, also?: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (also) await page.screenshot({ path: also, fullPage: false });
}

/** The page as it stands: no serious or critical axe violation, and a screenshot in test-artifacts. */
export async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, name);
}

/** Clicks the theme button (system → light → dark → system) until the page shows the wanted theme. */
export async function setTheme(page: Page, wanted: 'light' | 'dark'): Promise<void> {
  for (let i = 0; i < 3; i++) {
    if ((await page.locator('html').getAttribute('data-theme')) === wanted) return;
    await page.getByRole('button', { name: /Change theme/ }).click();
  }
  if ((await page.locator('html').getAttribute('data-theme')) !== wanted)
    throw new Error(`setTheme: the page did not switch to ${wanted}`);
}

/** checkPage in the light theme and again in the dark one (screenshots `<name>-light`, `<name>-dark`), ending light. */
export async function checkPageInBothThemes(page: Page, name: string): Promise<void> {
  await setTheme(page, 'light');
  await checkPage(page, `${name}-light`);
  await setTheme(page, 'dark');
  await checkPage(page, `${name}-dark`);
  await setTheme(page, 'light');
}
