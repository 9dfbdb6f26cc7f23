/**
 * What a reader sees first in each format: "Fix these first", then the findings under their root
 * cause, one line each; code in fixes as code; the security headers strip; the HTML report as one
 * offline file under a strict CSP; the same severity names and colours as the web app.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/scanner/report/index.ts';
import { SEVERITY_STYLE } from '../../../src/scanner/report/severity-style.ts';
import { goldenReport } from '../../../scripts/update-golden.ts';

const report = goldenReport('legacy-site');
const html = render(report, 'html');
const md = render(report, 'md');

describe('priorities first', () => {
  it.each([
    ['text', render(report, 'text')],
    ['md', md],
    ['html', html],
  ])('%s: "Fix these first" comes before the findings, in the computed order', (_f, out) => {
    const first = out.indexOf('Fix these first');
    expect(first).toBeGreaterThan(-1);
    expect(first).toBeLessThan(out.indexOf('Findings by root cause'));
    const titles = [
      'Serve the whole site over HTTPS',
      'CORS lets other sites read responses',
      'Set safe cookie attributes',
    ];
    const at = titles.map((t) => out.indexOf(t, first));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at.every((i) => i > first)).toBe(true);
  });

  it('json carries the priorities', () => {
    const json = JSON.parse(render(report, 'json')) as typeof report;
    expect(json.priorities!.fixFirst.map((s) => s.id)).toEqual(['https-only', 'cors', 'cookie-attributes']);
  });
});

describe('html report', () => {
  it('is titled with the host and has no script, no external resource, and a CSP without unsafe-inline', () => {
    expect(html).toContain('<title>legacy.example.test · VIOscan report</title>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\sstyle=/);
    const csp = /content="(default-src 'none'; style-src '[^"]+')"/.exec(html)![1]!;
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toBe(`default-src 'none'; style-src 'sha256-${hash}'`);
  });

  it('shows each finding as one collapsed line (severity, title, deadline) that opens to the details', () => {
    const findings = html.match(/<details class="finding[^>]*><summary>.*?<\/summary>/g) ?? [];
    expect(findings).toHaveLength(report.findings.length);
    expect(findings[0]).toMatch(
      />Critical<\/span> .+<span class="deadline">· fix within 1 day<\/span><\/summary>$/,
    );
    expect(html).not.toMatch(/<details[^>]* open/);
  });

  it('renders code in fixes as <code>, never as literal backticks', () => {
    expect(html).toContain('<code>Strict-Transport-Security: max-age=31536000; includeSubDomains</code>');
    const prose = html.replace(/<code>[^<]*<\/code>/g, '');
    expect(prose).not.toContain('`');
  });

  it('has the headers strip, the raw headers on demand, filters, light and dark, and print styles', () => {
    expect(html).toMatch(/<li class="missing">✗ X-Frame-Options/);
    expect(html).toMatch(/<li class="present">✓ Strict-Transport-Security/);
    expect(html).toMatch(
      /<details><summary>Raw response headers<\/summary><pre class="headers">[^<]*strict-transport-security: max-age=86400/,
    );
    expect(html).toContain('id="show-critical" checked');
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    expect(html).toContain('@media print');
  });
});

describe('markdown report', () => {
  it('keeps code spans in fixes and escapes the prose', () => {
    expect(md).toContain('`Strict-Transport-Security: max-age=31536000; includeSubDomains`');
    expect(md).toContain('**Security headers:** ✅ Strict\\-Transport\\-Security');
    expect(md).toMatch(/- \*\*Critical\*\* · Password form over HTTP · fix within 1 day/);
  });
});

describe('one visual language', () => {
  it('the web app uses the same severity colours as the reports', () => {
    const css = readFileSync(new URL('../../../web/src/styles/app.css', import.meta.url), 'utf8');
    for (const [severity, style] of Object.entries(SEVERITY_STYLE)) {
      expect(css).toContain(`--sev-${severity}: light-dark(${style.light}, ${style.dark});`);
      expect(html).toContain(`--sev-${severity}:${style.light}`);
      expect(html).toContain(`--sev-${severity}:${style.dark}`);
    }
  });
});
