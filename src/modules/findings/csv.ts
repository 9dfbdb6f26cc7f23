import type { PresentedFinding } from './present.ts';

/**
 * A formula starter (= + - @ tab CR) at the start of the text or right after anything a spreadsheet
 * may split a line at: Excel in many European locales reads this comma file with `;` as separator
 * (and ignores quotes that do not open a field), others use tab, and a reader that ignores quoting
 * splits at line breaks. Quotes and spaces before the starter do not stop the formula.
 */
const FORMULA_AFTER_SEPARATOR = /(^|[,;\t\r\n])([" ]*)(?=[=+\-@\t\r])/g;

/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with = + - @ (or tab /
 * carriage return) is run as a formula by Excel and friends; a quote before the starter keeps it
 * text, wherever a spreadsheet may start a cell. Evidence comes from scanned sites, so it is hostile
 * by definition.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = (value ?? '').replace(FORMULA_AFTER_SEPARATOR, "$1$2'");
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const columns = [
  'id',
  'siteId',
  'site',
  'siteUrl',
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

/** The site of each finding by id, so a row says which site (name and URL), not just its id. */
export type SitesById = Map<string, { name: string; url: string }>;

export function findingsCsv(findings: PresentedFinding[], sites: SitesById): string {
  const lines = [columns.join(',')];
  for (const f of findings) {
    const site = sites.get(f.siteId);
    const row = { ...f, site: site?.name ?? null, siteUrl: site?.url ?? null };
    lines.push(columns.map((c) => csvCell(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
