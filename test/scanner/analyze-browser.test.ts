/** The browser stage in analyze(): skipped without it, graded on its own, summarised in the report. */
import { describe, expect, it } from 'vitest';
import { analyze, MAX_EVIDENCE } from '../../src/scanner/analyze.ts';
import { CHECKS } from '../../src/scanner/checks/index.ts';
import { MAX_COOKIES_PER_VISIT, THIRD_PARTY_COOKIES_NOTE } from '../../src/scanner/privacy/summary.ts';
import { baseline } from './helpers/artefacts.ts';
import {
  addAnalytics,
  browser,
  browserBaseline,
  cookie,
  DOUBLECLICK,
  inVisit,
  visitOf,
  withBrowser,
} from './helpers/browser-artefacts.ts';

const meta = { startedAt: '2025-06-01T00:00:00Z', finishedAt: '2025-06-01T00:00:05Z' };
const browserChecks = CHECKS.filter((c) => c.requires.includes('browser'));
const passiveChecks = CHECKS.filter((c) => !c.requires.includes('browser'));

describe('analyze without the browser stage', () => {
  it('skips every browser check and otherwise gives the report it gave before them', () => {
    const a = inVisit('none', (v) => addAnalytics(v));
    delete a.browser;
    const withChecks = analyze(a, meta);
    const before = analyze(a, meta, passiveChecks);
    for (const key of ['grade', 'score', 'headersScore', 'categories', 'findings'] as const)
      expect(withChecks[key], key).toEqual(before[key]);
    expect(withChecks.checks.slice(0, passiveChecks.length)).toEqual(before.checks);
    const skipped = withChecks.checks.slice(passiveChecks.length);
    expect(skipped.map((c) => c.id)).toEqual(browserChecks.map((c) => c.id));
    for (const c of skipped)
      expect(c).toMatchObject({ status: 'skipped', scoreModifier: 0, evidence: 'not collected: browser' });
    expect(withChecks.categories.map((c) => c.category)).not.toContain('privacy');
    expect(withChecks.categories.map((c) => c.category)).not.toContain('accessibility');
    expect(withChecks).not.toHaveProperty('privacy');
    expect(withChecks).not.toHaveProperty('accessibility');
  });

  it('a failed page fetch grades no category at all, privacy and accessibility included', () => {
    const a = baseline();
    a.page = { requestedUrl: a.target, hops: [], error: { code: 'dns_failed', message: 'no such host' } };
    expect(analyze(a, meta).categories).toEqual([]);
  });
});

describe('analyze with the browser stage', () => {
  it('grades privacy and accessibility, a clean site A+ in both', () => {
    const r = analyze(withBrowser(), meta);
    expect(r.categories.filter((c) => ['privacy', 'accessibility'].includes(c.category))).toEqual([
      { category: 'privacy', score: 100, grade: 'A+' },
      { category: 'accessibility', score: 100, grade: 'A+' },
    ]);
  });

  it('a stage that failed makes its checks error, grades neither category, and says why in the summary', () => {
    const b = browserBaseline();
    b.visits = [];
    delete b.accessibility;
    b.error = { code: 'browser_unavailable', message: 'no Chromium at /usr/bin/chromium' };
    const r = analyze(withBrowser(b), meta);
    for (const c of r.checks.filter((x) => browserChecks.some((y) => y.id === x.id))) {
      expect(c.status).toBe('error');
      expect(c.evidence).toContain('browser_unavailable');
    }
    expect(r.categories.map((c) => c.category)).not.toContain('privacy');
    expect(r.privacy?.error).toEqual({
      code: 'browser_unavailable',
      message: 'no Chromium at /usr/bin/chromium',
    });
    expect(r.grade).toBe(analyze(baseline(), meta).grade);
  });

  it('privacy findings lower the overall grade; accessibility ones only their own', () => {
    const clean = analyze(withBrowser(), meta);
    const tracked = analyze(
      inVisit('none', (v) => addAnalytics(v)),
      meta,
    );
    // Tracking cookies before consent: −25, which also drops the bonuses (below 90).
    expect(clean.grade).toBe('A+');
    expect([tracked.score, tracked.grade]).toEqual([75, 'B']);
    expect(tracked.categories.find((c) => c.category === 'privacy')).toEqual({
      category: 'privacy',
      score: 75,
      grade: 'B',
    });
    const inaccessible = analyze(
      browser((x) => {
        x.accessibility!.violations = [
          {
            id: 'image-alt',
            impact: 'critical',
            tags: ['wcag2a'],
            help: 'Images must have alternative text',
            helpUrl: 'https://dequeuniversity.com/rules/axe/4.14/image-alt',
            nodes: [],
          },
        ];
      }),
      meta,
    );
    expect(inaccessible.score).toBe(clean.score);
    expect(inaccessible.grade).toBe(clean.grade);
    expect(inaccessible.categories.find((c) => c.category === 'accessibility')).toEqual({
      category: 'accessibility',
      score: 60,
      grade: 'C+',
    });
    expect(inaccessible.findings[0]).toMatchObject({
      category: 'accessibility',
      severity: 'high',
      remediationDays: 3,
    });
  });

  it('a finding carries its own concrete remediation, capped like evidence', () => {
    const longScript = `https://www.googletagmanager.com/gtag/js?id=${'x'.repeat(2000)}`;
    const r = analyze(
      inVisit('none', (v) => {
        addAnalytics(v);
        v.requests.find((q) => q.url.includes('/gtag/js'))!.url = longScript;
        v.cookies.find((c) => c.name === '_ga')!.setBy = { via: 'js', url: longScript };
      }),
      meta,
    );
    const f = r.findings.find((x) => x.checkId === 'pre-consent-tracking' && x.title.includes('_ga'));
    expect(f?.remediation).toMatch(
      /^Remove the script "https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=x+/,
    );
    expect(f?.remediation.length).toBeLessThanOrEqual(MAX_EVIDENCE);
    expect(f?.category).toBe('privacy');
  });

  it('summarises visits, third parties by company and purpose, cookies per visit, consent and GPC', () => {
    const r = analyze(
      browser((b) => {
        addAnalytics(visitOf(b, 'none'));
        addAnalytics(visitOf(b, 'reject'), 1600);
        visitOf(b, 'gpc').cookies.push(
          cookie('IDE', DOUBLECLICK, { session: false, expires: '2026-06-01T00:00:00.000Z' }),
        );
      }),
      meta,
    );
    const p = r.privacy!;
    expect(p.browser).toEqual({
      product: 'Chromium 156.0.8078.129',
      thirdPartyCookies: 'allowed',
      note: THIRD_PARTY_COOKIES_NOTE,
    });
    expect(p.lists.map((l) => l.id)).toEqual(['easyprivacy', 'easylist', 'owners']);
    expect(p.visits.map((v) => [v.kind, v.label, v.trackerRequests])).toEqual([
      ['none', 'before consent', 2],
      ['reject', 'after you rejected', 2],
      ['gpc', 'with GPC', 0],
    ]);
    expect(p.thirdParties.slice(0, 2)).toEqual([
      {
        company: 'Google',
        purpose: 'tag-manager',
        domains: ['googletagmanager.com'],
        tracker: true,
        requests: { none: 1, reject: 1 },
      },
      {
        company: 'Google',
        purpose: 'analytics',
        domains: ['google-analytics.com'],
        tracker: true,
        requests: { none: 1, reject: 1 },
      },
    ]);
    expect(p.thirdParties[2]).toMatchObject({ company: 'Example CDN', purpose: 'cdn', tracker: false });
    expect(p.cookies.filter((c) => c.name === '_ga')).toEqual([
      expect.objectContaining({
        visit: 'none',
        lifetimeDays: 400,
        party: 'first',
        via: 'js',
        tracking: true,
      }),
      expect.objectContaining({ visit: 'reject', tracking: true }),
    ]);
    expect(p.cookies.find((c) => c.name === 'IDE')).toMatchObject({
      visit: 'gpc',
      lifetimeDays: 365,
      party: 'third',
      tracking: true,
    });
    expect(p.cookies.find((c) => c.name === '__Host-sid')).toMatchObject({
      lifetimeDays: null,
      tracking: false,
    });
    expect(p.consent).toMatchObject({
      result: 'ignored',
      cmp: 'Onetrust',
      popupFound: true,
      rejected: true,
      trackingCookies: [{ name: '_ga', domain: '.example.test' }],
    });
    expect(p.consent.stillLoaded.map((s) => s.domain)).toEqual([
      'googletagmanager.com',
      'google-analytics.com',
    ]);
    expect(p.gpc).toMatchObject({
      headerSent: true,
      honoured: false,
      trackers: [],
      trackingCookies: [{ name: 'IDE', domain: '.doubleclick.net' }],
    });
    expect(JSON.stringify(r)).not.toContain('base64');
  });

  it('caps the cookie list and counts what it left out', () => {
    const r = analyze(
      inVisit('none', (v) => {
        for (let i = 0; i < MAX_COOKIES_PER_VISIT + 7; i++)
          v.cookies.push(cookie(`c${i}`, { domain: 'example.test', party: 'first' }));
      }),
      meta,
    );
    expect(r.privacy?.cookies.filter((c) => c.visit === 'none')).toHaveLength(MAX_COOKIES_PER_VISIT);
    expect(r.privacy?.cookiesDropped).toBe(8);
  });

  it('summarises axe by impact and WCAG level', () => {
    const r = analyze(
      browser((b) => {
        b.accessibility!.violations = [
          {
            id: 'color-contrast',
            impact: 'serious',
            tags: ['wcag2aa', 'wcag143'],
            help: 'Contrast',
            helpUrl: 'https://dequeuniversity.com/rules/axe/4.14/color-contrast',
            nodes: [{ target: 'p', html: '<p>' }],
          },
          {
            id: 'region',
            impact: null,
            tags: ['best-practice'],
            help: 'Landmarks',
            helpUrl: 'https://dequeuniversity.com/rules/axe/4.14/region',
            nodes: [],
          },
        ];
      }),
      meta,
    );
    expect(r.accessibility).toEqual({
      engine: 'axe-core 4.14.1',
      url: 'https://example.test/',
      violations: 2,
      byImpact: { critical: 0, serious: 1, moderate: 0, minor: 1 },
      byLevel: { A: 0, AA: 1, AAA: 0, 'best practice': 1 },
      rules: [
        {
          id: 'color-contrast',
          impact: 'serious',
          level: 'AA',
          help: 'Contrast',
          helpUrl: 'https://dequeuniversity.com/rules/axe/4.14/color-contrast',
          nodes: 1,
          selector: 'p',
        },
        {
          id: 'region',
          impact: 'minor',
          level: 'best practice',
          help: 'Landmarks',
          helpUrl: 'https://dequeuniversity.com/rules/axe/4.14/region',
          nodes: 0,
        },
      ],
    });
  });
});
