/**
 * The privacy and accessibility parts of a browser scan in every format (issue 12: "Text, JSON,
 * Markdown, HTML and SARIF all show them"), on the golden tracking-site report: both category grades,
 * every section (overview, third parties, cookies, fingerprinting, consent, accessibility), an axe rule
 * with its impact, WCAG level and selector, and a privacy finding. privacy-renderers.test.ts covers
 * escaping of hostile content in the same sections.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/scanner/report/index.ts';
import { goldenReport } from '../../../scripts/update-golden.ts';

const report = goldenReport('tracking-site');
const SECTIONS = [
  'Privacy: what a browser saw',
  'Third parties',
  'Cookies',
  'Fingerprinting',
  'Consent',
  'Accessibility',
];
const privacyFinding = report.findings.find((f) => f.checkId === 'key-logging')!;

describe('privacy and accessibility in every format', () => {
  it('the golden report has both parts to show', () => {
    expect(report.categories.map((c) => c.category)).toEqual(
      expect.arrayContaining(['privacy', 'accessibility']),
    );
    expect(report.accessibility?.rules[0]).toMatchObject({
      id: 'image-alt',
      impact: 'critical',
      level: 'A',
      selector: 'img.hero',
    });
    expect(privacyFinding.category).toBe('privacy');
  });

  it('text', () => {
    const out = render(report, 'text', { color: false });
    expect(out).toMatch(/^ {2}privacy +F +13$/m);
    expect(out).toMatch(/^ {2}accessibility +C\+ +60$/m);
    for (const title of SECTIONS) expect(out).toContain(`\n${title}\n`);
    expect(out).toContain('image-alt · critical · A · 1 · img.hero');
    expect(out).toContain(privacyFinding.title);
  });

  it('markdown', () => {
    // Markdown backslash-escapes punctuation: compare its text without the escapes.
    const out = render(report, 'md').replace(/\\(.)/g, '$1');
    expect(out).toContain('| privacy | F | 13 |');
    expect(out).toContain('| accessibility | C+ | 60 |');
    for (const title of SECTIONS) expect(out).toContain(`\n## ${title}\n`);
    expect(out).toMatch(/\| image-alt \| critical \| A \| 1 \| img\.hero \|/);
    expect(out).toContain(privacyFinding.title);
  });

  it('html', () => {
    const out = render(report, 'html');
    for (const category of ['privacy', 'accessibility'])
      expect(out).toContain(`<li class="card"><strong>${category}</strong>`);
    for (const title of SECTIONS) expect(out).toContain(`<h2>${title}</h2>`);
    expect(out).toMatch(
      /<td class="ev">image-alt<\/td><td class="ev">critical<\/td><td class="ev">A<\/td><td class="ev">1<\/td><td class="ev">img\.hero<\/td>/,
    );
    expect(out).toContain('cat-privacy');
    expect(out).toContain('cat-accessibility');
  });

  it('json', () => {
    const json = JSON.parse(render(report, 'json')) as typeof report;
    expect(json.privacy?.thirdParties.length).toBeGreaterThan(0);
    expect(json.privacy?.cookies.length).toBeGreaterThan(0);
    expect(json.accessibility?.rules.map((r) => r.id)).toContain('image-alt');
    for (const f of json.findings) expect(f.category).toMatch(/^[a-z-]+$/);
    expect(json.findings.find((f) => f.id === privacyFinding.id)?.category).toBe('privacy');
    expect(json.findings.filter((f) => f.category === 'accessibility')).toHaveLength(3);
  });

  it('sarif', () => {
    const log = JSON.parse(render(report, 'sarif')) as {
      runs: {
        results: { ruleId: string; properties: { category: string } }[];
        properties: { privacy?: unknown; accessibility?: { violations: number } };
      }[];
    };
    const run = log.runs[0]!;
    expect(run.results.filter((r) => r.properties.category === 'accessibility')).toHaveLength(3);
    expect(run.results.find((r) => r.ruleId === 'key-logging')?.properties.category).toBe('privacy');
    expect(run.properties.privacy).toBeDefined();
    expect(run.properties.accessibility?.violations).toBe(3);
  });
});
