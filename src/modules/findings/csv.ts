import type { PresentedFinding } from './present.ts';

/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with = + - @ (or tab /
 * carriage return) is run as a formula by Excel and friends; prefix it with a quote so it stays text.
 * Evidence comes from scanned sites, so it is hostile by definition.
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const columns = [
  'id',
  'siteId',
  'severity',
  'status',
  'due',
  'dueAt',
  'firstSeenAt',
  'lastSeenAt',
  'checkId',
  'title',
  'evidence',
  'remediation',
] as const;

export function findingsCsv(findings: PresentedFinding[]): string {
  const lines = [columns.join(',')];
  for (const f of findings) lines.push(columns.map((c) => csvCell(f[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
