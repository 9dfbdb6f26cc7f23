/**
 * Tag-value lists as DNS policy records use them: `v=DMARC1; p=reject; rua=mailto:…`
 * (DMARC RFC 7489 §6.4, MTA-STS RFC 8461 §3.1, TLS-RPT RFC 8460 §3). Tags are case-insensitive
 * here, values are trimmed; a repeated tag or a term without `=` is an error, never a throw.
 */
export interface TagList {
  /** Tags in order, lower-cased names. */
  tags: Map<string, string>;
  errors: string[];
}

export function parseTagList(record: string): TagList {
  const tags = new Map<string, string>();
  const errors: string[] = [];
  for (const raw of record.split(';')) {
    const term = raw.trim();
    if (term === '') continue;
    const eq = term.indexOf('=');
    if (eq <= 0) {
      errors.push(`not a tag=value pair: ${term.slice(0, 40)}`);
      continue;
    }
    const name = term.slice(0, eq).trim().toLowerCase();
    if (!/^[a-z0-9_]+$/.test(name)) {
      errors.push(`invalid tag name: ${name.slice(0, 40)}`);
      continue;
    }
    if (tags.has(name)) {
      errors.push(`repeated tag: ${name}`);
      continue;
    }
    tags.set(name, term.slice(eq + 1).trim());
  }
  return { tags, errors };
}

/** The first record whose version tag is `version` (the record may carry it in any case). */
export function recordsWithVersion(records: string[], version: string): string[] {
  const re = new RegExp(`^v\\s*=\\s*${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(;|$)`, 'i');
  return records.filter((r) => re.test(r.trim()));
}
