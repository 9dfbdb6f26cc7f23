/* eslint-disable no-control-regex -- these tests hunt for control characters */
import { describe, expect, it } from 'vitest';
import { render, REPORT_FORMATS } from '../../../src/scanner/report/index.ts';
import { hostileReport } from './hostile.ts';

const report = hostileReport();

describe('renderers with hostile content', () => {
  it('the fixture really carries hostile evidence', () => {
    expect(JSON.stringify(report)).toContain('<script>');
    expect(report.findings.length).toBeGreaterThan(2);
  });

  it('text: no escape sequence or control character survives (colour off)', () => {
    const out = render(report, 'text', { color: false });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toContain('Grade ');
  });

  it('text: with colour, the only escapes are our own SGR colour codes', () => {
    const out = render(report, 'text', { color: true });
    const escapes = out.match(/\u001b[^m]*m/g) ?? [];
    expect(escapes.length).toBeGreaterThan(0);
    for (const e of escapes) expect(e).toMatch(/^\u001b\[\d+(;\d+)*m$/);
    expect(out).not.toContain('\u001b]8');
    expect(out).not.toContain('\u001b[2J');
  });

  it('html: no live markup from the site, no external resources, strict CSP', () => {
    const out = render(report, 'html');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/<[^>]*onerror/i);
    expect(out).toContain('&lt;script&gt;');
    expect(out).not.toMatch(/<(link|img|iframe|object|embed)\b|@import|url\(/i);
    expect(out).toContain(`default-src 'none'`);
    expect(out).not.toContain('href="javascript:');
  });

  it('markdown: no raw HTML, no live links or images from the site', () => {
    const out = render(report, 'md');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('](javascript');
    expect(out).not.toContain('![x](');
    expect(out).toContain('\\[click\\]');
    expect(out).not.toMatch(/\u001b/);
  });

  it('json: is the report itself', () => {
    expect(JSON.parse(render(report, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('sarif: messages carry no control characters', () => {
    const log = JSON.parse(render(report, 'sarif')) as {
      runs: { results: { message: { text: string } }[] }[];
    };
    for (const r of log.runs[0]?.results ?? []) expect(r.message.text).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it.each(REPORT_FORMATS)('%s says plainly that the scan failed', (format) => {
    const failed = {
      ...report,
      error: { code: 'dns_failed', message: 'The scan could not reach <x>' },
      findings: [],
    };
    const out = render(failed, format);
    expect(out).toMatch(/could not reach/);
    if (format === 'html' || format === 'md') expect(out).not.toContain('<x>');
  });
});
