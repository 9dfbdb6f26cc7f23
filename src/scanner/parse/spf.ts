/**
 * SPF records (RFC 7208). Parses one `v=spf1` record into its terms and says what the final
 * `all` (or its absence) does. Lookups through include/redirect are not followed: a scan asks
 * one zone, and the check says so.
 */
export type Qualifier = '+' | '-' | '~' | '?';

export interface SpfRecord {
  mechanisms: { qualifier: Qualifier; name: string; value?: string }[];
  modifiers: Map<string, string>;
  /** The qualifier of `all`, when present (terms after `all` are ignored, §5.1). */
  all?: Qualifier;
  /** Mechanisms and modifiers that cost a DNS lookup (§4.6.4), in this record alone. */
  lookups: number;
  errors: string[];
}

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

export function isSpf(record: string): boolean {
  return /^v=spf1(\s|$)/i.test(record.trim());
}

export function parseSpf(record: string): SpfRecord {
  const out: SpfRecord = { mechanisms: [], modifiers: new Map(), lookups: 0, errors: [] };
  const terms = record.trim().split(/\s+/).slice(1);
  for (const term of terms) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term);
    if (modifier) {
      const name = modifier[1]!.toLowerCase();
      if (out.modifiers.has(name) && (name === 'redirect' || name === 'exp'))
        out.errors.push(`repeated modifier ${name}`);
      out.modifiers.set(name, modifier[2]!);
      if (LOOKUP_TERMS.has(name)) out.lookups++;
      continue;
    }
    const m = /^([+\-~?]?)([a-z0-9]+)(?:[:/](.*))?$/i.exec(term);
    const name = m?.[2]?.toLowerCase();
    if (!m || !name || !MECHANISMS.has(name)) {
      out.errors.push(`unknown term ${term.slice(0, 40)}`);
      continue;
    }
    const qualifier = (m[1] || '+') as Qualifier;
    out.mechanisms.push({ qualifier, name, ...(m[3] !== undefined && { value: m[3] }) });
    if (LOOKUP_TERMS.has(name)) out.lookups++;
    if (name === 'all' && out.all === undefined) out.all = qualifier;
  }
  return out;
}
