/* eslint-disable no-control-regex -- these tests hunt for control characters */
/** The privacy and accessibility sections in every format, with a page whose every string is hostile. */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/scanner/report/index.ts';
import { goldenReport } from '../../../scripts/update-golden.ts';
import { hostilePrivacyReport } from './hostile.ts';

const report = hostilePrivacyReport();

describe('privacy sections with hostile content', () => {
  it('the fixture really reaches the sections and the findings', () => {
    const json = JSON.stringify(report);
    expect(json).toContain('<script>alert(1)</script>');
    expect(report.privacy?.cookies.some((c) => c.name.includes('<script>'))).toBe(true);
    expect(report.findings.filter((f) => f.category === 'privacy').length).toBeGreaterThan(5);
    expect(report.accessibility?.rules[0]?.help).toContain('<script>');
  });

  it('text: no escape sequence or control character survives, the sections are there', () => {
    const out = render(report, 'text', { color: false });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    for (const title of [
      'Privacy: what a browser saw',
      'Third parties',
      'Cookies',
      'Fingerprinting',
      'Consent',
      'Accessibility',
    ])
      expect(out).toContain(`\n${title}\n`);
    expect(out).toContain('Cookies after you rejected');
    // The verdict (privacy-verdict.ts) opens the privacy section, as in the web app's Privacy tab.
    expect(out).toMatch(/Privacy: what a browser saw\n[^\n]*\n?.*trackers? loads? before consent/);
  });

  it('text with colour: only our own SGR codes', () => {
    const out = render(report, 'text', { color: true });
    for (const e of out.match(/\u001b[^m]*m/g) ?? []) expect(e).toMatch(/^\u001b\[\d+(;\d+)*m$/);
    expect(out).not.toContain('\u001b]8');
  });

  it('html: the sections are escaped, no markup, link or resource from the page', () => {
    const out = render(report, 'html');
    expect(out).toContain('<h2>Third parties</h2>');
    expect(out).toContain('<caption>Cookies before consent');
    expect(out).toContain('c&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/<[^>]*onerror/i);
    expect(out).not.toMatch(/<(link|img|iframe|object|embed)\b|@import|url\(/i);
    expect(out).not.toContain('href="javascript:');
    expect(out).not.toMatch(/\u001b/);
  });

  it('markdown: no raw HTML, links, images or table breaks from the page', () => {
    const out = render(report, 'md');
    expect(out).toContain('## Third parties');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('](javascript');
    expect(out).not.toContain('![x](');
    expect(out).not.toMatch(/\u001b/);
    // A `|` from the page never splits a table row: every row has as many cells as its header.
    const lines = out.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('| ---')) continue;
      const cells = (line: string) => line.split(/(?<!\\)\|/).length;
      const width = cells(lines[i - 1]!);
      for (let j = i + 1; lines[j]?.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]).toBe(width);
    }
  });

  it('sarif: every finding is a result with its category; the run carries the privacy summary', () => {
    const log = JSON.parse(render(report, 'sarif')) as {
      runs: {
        results: { ruleId: string; message: { text: string }; properties: { category: string } }[];
        tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } };
        properties: {
          privacy?: { consent: string; trackers: string[] };
          accessibility?: { violations: number };
        };
      }[];
    };
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    for (const r of run.results) expect(r.message.text).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(run.results.filter((r) => r.properties.category === 'privacy').length).toBeGreaterThan(5);
    expect(run.results.some((r) => r.properties.category === 'accessibility')).toBe(true);
    expect(run.tool.driver.rules.find((r) => r.id === 'key-logging')?.properties.tags).toEqual(['privacy']);
    expect(run.properties.privacy?.consent).toBe('ignored');
    expect(JSON.stringify(run.properties)).not.toMatch(/\\u001b|\\u202e/);
    expect(run.properties.accessibility?.violations).toBe(1);
  });

  it('json: carries the summaries as they are (the schema test validates them)', () => {
    const json = JSON.parse(render(report, 'json')) as { privacy: unknown; accessibility: unknown };
    expect(json.privacy).toEqual(JSON.parse(JSON.stringify(report.privacy)));
    expect(json.accessibility).toEqual(JSON.parse(JSON.stringify(report.accessibility)));
  });
});

describe('privacy sections of a real-looking report', () => {
  const tracking = goldenReport('tracking-site');

  it.each(['text', 'md', 'html'] as const)(
    '%s names what loaded after the rejection and the cookies per visit',
    (format) => {
      // Markdown backslash-escapes punctuation: compare its text without the escapes.
      const out =
        format === 'md' ? render(tracking, format).replace(/\\(.)/g, '$1') : render(tracking, format);
      expect(out).toMatch(/Still loaded after you rejected/);
      expect(out).toMatch(/Cookies with GPC \(2\)/);
      expect(out).toMatch(/observed with third-party cookies allowed, as Chrome does by default/);
      expect(out).toMatch(/EasyPrivacy \(2025-05-20/);
    },
  );

  it('a report without the browser stage has no privacy section in any format', () => {
    const plain = goldenReport('hardened-site');
    expect(render(plain, 'text')).not.toContain('Privacy: what a browser saw');
    expect(render(plain, 'md')).not.toContain('## Third parties');
    expect(render(plain, 'html')).not.toContain('<h2>Consent</h2>');
    expect(JSON.parse(render(plain, 'sarif')).runs[0].properties).not.toHaveProperty('privacy');
  });
});
