import type { Report } from '../types.ts';

/** The JSON format is the Report itself (schemas/report.schema.json). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
