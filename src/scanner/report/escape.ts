/**
 * Shared escaping for renderers. Everything in a report that came from the scanned site is hostile:
 * it may carry ANSI escapes (terminal takeover), bidi overrides (misleading text), HTML or Markdown.
 */

// CSI/OSC and other ESC sequences (ECMA-48 §5.4), then any remaining C0/C1 control or bidi control.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const ANSI = /\u001b(\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(\u0007|\u001b\\)?|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Remove terminal escapes and control characters; newlines and tabs become spaces. */
export function stripControl(text: string): string {
  return String(text)
    .replace(ANSI, '')
    .replace(CONTROL, '')
    .replace(/[\n\t]/g, ' ');
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function escapeHtml(text: string): string {
  return stripControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Escape for CommonMark inline text: HTML-escape (raw HTML is passed through by renderers) and
 * backslash-escape (CommonMark §2.4) the punctuation that starts emphasis, code, links, images,
 * tables, headings or lists; `:` and `@` too, so no GFM autolink is formed from site text.
 */
export function escapeMarkdown(text: string): string {
  return stripControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-!|~:@]/g, (c) => `\\${c}`);
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is shown as text. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
