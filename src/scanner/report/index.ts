import type { Report } from '../types.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderSarif } from './sarif.ts';
import { renderText, type TextOptions } from './text.ts';

export type ReportFormat = 'text' | 'json' | 'md' | 'html' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'md', 'html', 'sarif'];

export function render(report: Report, format: ReportFormat, opts: TextOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(report, opts);
    case 'json':
      return renderJson(report);
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
    case 'sarif':
      return renderSarif(report);
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format ${String(unknown)}`);
    }
  }
}
