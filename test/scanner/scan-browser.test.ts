/** scan() with the browser stage: its options come from the scan's, it runs beside the passive gatherers. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeBrowserPool } from '../../src/scanner/browser/index.ts';
import { browserOptionsFor, BROWSER_VISIT_MS, scan, type StageEvent } from '../../src/scanner/index.ts';
import type { Resolver } from '../../src/scanner/gather/guard.ts';
import { disposeTestPki } from '../sites/pki.ts';
import { startTestSite, type RunningSite } from '../sites/site.ts';
import { goodSite } from './smoke/fixtures.ts';

const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

describe('browserOptionsFor', () => {
  it('passes the scan’s guard settings, CA, resolver and headers; three visits by default', () => {
    const o = browserOptionsFor('https://a.example/', {
      browser: true,
      allowPrivate: true,
      ca: ['PEM'],
      resolver,
      headers: { cookie: 'sid=1' },
      timeouts: { totalMs: 20_000, connectMs: 5000 },
    });
    expect(o).toEqual({
      allowPrivate: true,
      ca: ['PEM'],
      resolver,
      headers: { cookie: 'sid=1' },
      visits: ['none', 'reject', 'gpc'],
      timeouts: { visitMs: 20_000, totalMs: 70_000 },
    });
  });

  it('the browser stage’s own options win; the per-visit limit has a floor', () => {
    const o = browserOptionsFor('https://a.example/', {
      browser: {
        visits: ['none'],
        evidenceDir: '/tmp/ev',
        chromiumPath: '/opt/chromium',
        allowPrivate: false,
      },
      allowPrivate: true,
      timeouts: { totalMs: 1000 },
    });
    expect(o).toEqual({
      allowPrivate: false,
      visits: ['none'],
      evidenceDir: '/tmp/ev',
      chromiumPath: '/opt/chromium',
      timeouts: { visitMs: 10_000, totalMs: 20_000 },
    });
    expect(browserOptionsFor('https://a.example/', { browser: true }).timeouts).toEqual({
      visitMs: BROWSER_VISIT_MS,
      totalMs: BROWSER_VISIT_MS * 3 + 10_000,
    });
  });

  it('--header values go to an http target only when the scan sends them over http too', () => {
    const headers = { authorization: 'Bearer t' };
    expect(browserOptionsFor('http://a.example/', { browser: true, headers })).not.toHaveProperty('headers');
    expect(
      browserOptionsFor('http://a.example/', { browser: true, headers, headersOverHttp: true }).headers,
    ).toEqual(headers);
  });
});

describe('scan() with the browser stage', () => {
  let site: RunningSite;
  beforeAll(async () => {
    site = await startTestSite(goodSite());
  });
  afterAll(async () => {
    await closeBrowserPool();
    await site.close();
    await disposeTestPki();
  });
  // Real Chromium: give a loaded machine room.
  vi.setConfig({ testTimeout: 120_000 });

  it('runs beside the passive scan and lands in artefacts.browser, timings.browser and the report', async () => {
    const events: StageEvent[] = [];
    const { artefacts, report } = await scan(site.url, {
      allowPrivate: true,
      ca: [site.pki.caPem],
      browser: { visits: ['none'] },
      onStage: (e) => events.push(e),
    });
    expect(artefacts.page.final?.status).toBe(200);
    expect(artefacts.browser).toBeDefined();
    expect(artefacts.timings.browser).toBeGreaterThanOrEqual(0);
    expect(artefacts.timings.total).toBeGreaterThanOrEqual(artefacts.timings.browser!);
    expect(events.map((e) => [e.stage, e.phase, e.target])).toEqual([
      ['browser', 'start', site.url],
      ['browser', 'done', site.url],
    ]);
    expect(events[0]).toMatchObject({ visits: ['none'] });
    expect(report.privacy).toBeDefined();
    const privacyChecks = report.checks.filter((c) => c.category === 'privacy');
    expect(privacyChecks.length).toBeGreaterThan(5);
    expect(privacyChecks.some((c) => c.status === 'skipped' && c.evidence === 'not collected: browser')).toBe(
      false,
    );
    // A stage that could not run says why, and privacy is then not graded; otherwise it is.
    const graded = report.categories.some((c) => c.category === 'privacy');
    if (artefacts.browser?.error) {
      expect(report.privacy?.error?.code).toBe(artefacts.browser.error.code);
      expect(graded).toBe(false);
      expect(events[1]).toMatchObject({ error: artefacts.browser.error });
    } else {
      expect(report.privacy?.visits.map((v) => v.kind)).toEqual(['none']);
      expect(graded).toBe(true);
    }
  });

  it('a URL the guard refuses outright never starts the browser', async () => {
    const events: StageEvent[] = [];
    const { artefacts, report } = await scan('ftp://a.example/', {
      browser: true,
      onStage: (e) => events.push(e),
    });
    expect(events).toEqual([]);
    expect(artefacts.browser).toBeUndefined();
    expect(report.error?.code).toBe('target_not_allowed');
  });

  it('without browser: nothing of it is gathered', async () => {
    const { artefacts, report } = await scan(site.url, { allowPrivate: true, ca: [site.pki.caPem] });
    expect(artefacts.browser).toBeUndefined();
    expect(artefacts.timings).not.toHaveProperty('browser');
    expect(report).not.toHaveProperty('privacy');
  });
});
