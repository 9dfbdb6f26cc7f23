/**
 * The pooled Chromium's feature switches: no spare renderer (each would belong to a context no visit
 * reuses), no address-bar WebUI per window, and Playwright's own disabled features still disabled,
 * since Chromium keeps only the last `--disable-features` and pool.ts restates Playwright's list in its own.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  closeBrowserPool,
  pooledBrowser,
  PLAYWRIGHT_DISABLED_FEATURES,
} from '../../../src/scanner/browser/pool.ts';
import { chromiumOf } from './processes.ts';

vi.setConfig({ testTimeout: 60_000 });

/** The names in playwright-core's `disabledFeatures = [ … ]` (chromiumSwitches), from its bundle. */
function installedPlaywrightList(): string[] {
  const require = createRequire(import.meta.url);
  const bundle = path.join(path.dirname(require.resolve('playwright-core')), 'lib', 'coreBundle.js');
  const body = /disabledFeatures = \[([\s\S]*?)\]\.filter/.exec(readFileSync(bundle, 'utf8'))?.[1];
  if (!body) throw new Error(`no disabledFeatures list in ${bundle}: update this test and pool.ts`);
  const code = body.replace(/\/\/.*$/gm, '');
  return [...code.matchAll(/"([A-Za-z0-9]+)"/g)].map((m) => m[1]!);
}

describe('Chromium launch switches', () => {
  afterAll(closeBrowserPool);

  it('restates the installed Playwright’s disabled features', () => {
    expect([...PLAYWRIGHT_DISABLED_FEATURES]).toEqual(installedPlaywrightList());
  });

  it('renderers run with Playwright’s disabled features plus the spare renderer off', async () => {
    const { browser } = await pooledBrowser({});
    const context = await browser.newContext();
    try {
      await (await context.newPage()).setContent('<p>visit</p>');
      // Chromium rewrites its processes' titles (the switches may end up one space-separated string,
      // cut at the original length): the renderers whose title still holds the switch tell.
      const switches = chromiumOf(process.pid)
        .pids.map((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
          } catch {
            return [];
          }
        })
        .filter((args) => args.includes('--type=renderer'))
        .map((args) =>
          args
            .find((a) => a.startsWith('--disable-features='))
            ?.split('=')[1]
            ?.split(','),
        )
        .filter((list): list is string[] => list !== undefined);
      expect(switches.length).toBeGreaterThan(0);
      for (const disabled of switches) {
        expect(disabled).toContain('SpareRendererForSitePerProcess');
        expect(disabled).toContain('WebUIOmniboxPopup');
        expect(disabled).toEqual(expect.arrayContaining([...PLAYWRIGHT_DISABLED_FEATURES]));
      }
    } finally {
      await context.close();
    }
  });

  it('a visit’s context holds its page and no browser UI page (the omnibox drop-down’s WebUI)', async () => {
    const { browser } = await pooledBrowser({});
    const context = await browser.newContext();
    const cdp = await browser.newBrowserCDPSession();
    try {
      await (await context.newPage()).setContent('<p>visit</p>');
      // An empty filter entry lists every kind of target, browser UI included (the default hides some).
      const { targetInfos } = (await cdp.send('Target.getTargets', { filter: [{}] } as never)) as {
        targetInfos: { type: string; url: string }[];
      };
      expect(targetInfos.filter((t) => t.type !== 'page' && t.type !== 'tab')).toEqual([]);
      expect(targetInfos.filter((t) => t.url.startsWith('chrome:'))).toEqual([]);
      expect(targetInfos.some((t) => t.type === 'page' && t.url === 'about:blank')).toBe(true);
    } finally {
      await cdp.detach();
      await context.close();
    }
  });
});
