import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, safeHref, stripControl } from '../../../src/scanner/report/escape.ts';

describe('escape helpers', () => {
  it('strips ANSI CSI/OSC sequences, C0/C1 controls and bidi overrides', () => {
    const out = stripControl('a\u001b[31mb\u001b]8;;x\u0007c\u0000d\u009be\u202ef\nnext');
    expect(out).toBe('abcdef next');
  });

  it('escapes HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('neutralises markdown links, emphasis, code and tables', () => {
    const out = escapeMarkdown('[a](javascript:x) *b* `c` | d <e>');
    expect(out).toBe('\\[a\\]\\(javascript\\:x\\) \\*b\\* \\`c\\` \\| d &lt;e&gt;');
  });

  it('only allows http(s) links', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('https://a.test/x')).toBe('https://a.test/x');
  });
});
